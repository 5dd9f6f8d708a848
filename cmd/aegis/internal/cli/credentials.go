package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// defaultURL is the admin API of a local Aegis.
const defaultURL = "http://localhost:3001"

// errNotLoggedIn is the answer of every admin API command without a token.
var errNotLoggedIn = errors.New("not logged in: run 'aegis login', or set AEGIS_TOKEN")

// credentials are what `aegis login` stores for the other commands: the
// admin API's address and a personal access token.
type credentials struct {
	URL   string `json:"url"`
	Token string `json:"token"`
	// TokenID is set when `aegis login` created the token, which `aegis
	// logout` then revokes; empty for a token given with --token.
	TokenID string `json:"token_id,omitempty"`
}

// credentialsPath returns where the credentials are kept:
// $XDG_CONFIG_HOME/aegis/credentials.json, by default under ~/.config.
func (e *env) credentialsPath() (string, error) {
	dir := e.getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home := e.getenv("HOME")
		if home == "" {
			var err error
			if home, err = os.UserHomeDir(); err != nil {
				return "", fmt.Errorf("find the credentials file: set XDG_CONFIG_HOME or HOME: %w", err)
			}
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "aegis", "credentials.json"), nil
}

// loadCredentials returns the stored credentials, and false if there are
// none.
func (e *env) loadCredentials() (credentials, bool, error) {
	var c credentials
	path, err := e.credentialsPath()
	if err != nil {
		return c, false, err
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("read credentials: %w", err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, false, fmt.Errorf("credentials file %s is damaged (run 'aegis login' again): %w", path, err)
	}
	return c, true, nil
}

// saveCredentials writes c where loadCredentials finds it, readable by
// the user only (0600 in a 0700 directory), replacing the file at once.
func (e *env) saveCredentials(c credentials) (string, error) {
	path, err := e.credentialsPath()
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("save credentials: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return "", fmt.Errorf("save credentials: %w", err)
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return "", fmt.Errorf("save credentials: %w", err)
	}
	f, err := os.CreateTemp(dir, ".credentials-*.json") // mode 0600
	if err != nil {
		return "", fmt.Errorf("save credentials: %w", err)
	}
	_, err = f.Write(append(b, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("save credentials: %w", err)
	}
	return path, nil
}

// removeCredentials deletes the credentials file, if there is one.
func (e *env) removeCredentials() error {
	path, err := e.credentialsPath()
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete credentials: %w", err)
	}
	return nil
}

// apiClient returns a client of the admin API with the credentials to
// use: AEGIS_URL and AEGIS_TOKEN, each overriding its part of the
// credentials file. It returns an error asking to log in when there is no
// token.
func (e *env) apiClient() (*apiClient, error) {
	c, _, err := e.loadCredentials()
	if err != nil {
		if e.getenv("AEGIS_TOKEN") == "" {
			return nil, err
		}
		c = credentials{} // the environment has all it takes
	}
	if v := e.getenv("AEGIS_URL"); v != "" {
		c.URL = v
	}
	if v := e.getenv("AEGIS_TOKEN"); v != "" {
		c.Token = v
	}
	if c.Token == "" {
		return nil, errNotLoggedIn
	}
	if c.URL == "" {
		c.URL = defaultURL
	}
	return newAPIClient(c.URL, c.Token)
}
