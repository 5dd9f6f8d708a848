package platform

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/config"
	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/schema"
)

// loadKeys returns the configured secrets. A secret left unset is read
// from the data dir, or generated there on the first start (mode 0600), so
// that a single node keeps its sessions and tokens across restarts. Nodes
// that share a platform must be given the same secrets instead.
func loadKeys(cfg config.Config) (commands.Keys, error) {
	master := cfg.MasterKey
	if master == "" {
		var err error
		if master, err = keyFile(filepath.Join(cfg.DataDir, "master.key"), schema.NewMasterKey); err != nil {
			return commands.Keys{}, fmt.Errorf("AEGIS_MASTER_KEY: %w", err)
		}
	}
	mk, err := schema.ParseMasterKey(master)
	if err != nil {
		return commands.Keys{}, err
	}
	secret := cfg.JWTSecret
	if secret == "" {
		if secret, err = keyFile(filepath.Join(cfg.DataDir, "session.key"), newSessionSecret); err != nil {
			return commands.Keys{}, fmt.Errorf("JWT_SECRET: %w", err)
		}
	}
	return commands.Keys{Master: mk, Session: []byte(secret)}, nil
}

// keyFile returns the key stored at path, writing a new one from gen if
// there is none.
func keyFile(path string, gen func() string) (string, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	key := gen()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	if _, err := f.WriteString(key + "\n"); err != nil {
		f.Close()
		return "", err
	}
	return key, f.Close()
}

func newSessionSecret() string {
	b := make([]byte, 48)
	if _, err := rand.Read(b); err != nil {
		panic("random source failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
