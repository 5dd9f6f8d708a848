package schema_test

import (
	"strings"
	"testing"

	"github.com/aegis-oss/aegis/schema"
)

func TestAPIKeyRoundTrip(t *testing.T) {
	for env, tag := range map[string]string{schema.EnvProduction: "prod", schema.EnvStaging: "stg", schema.EnvDevelopment: "dev"} {
		key, hash, prefix, last4, err := schema.NewAPIKey(env)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(key, "aeg_"+tag+"_") || !strings.HasPrefix(key, prefix) || !strings.HasSuffix(key, last4) || len(last4) != 4 {
			t.Fatalf("key %q, prefix %q, last4 %q", key, prefix, last4)
		}
		if hash != schema.APIKeySHA256(key) || len(hash) != 64 {
			t.Fatalf("hash %q", hash)
		}
		got, ok := schema.ParseAPIKey(key)
		if !ok || got != env {
			t.Fatalf("ParseAPIKey(%q) = %q, %v; want %q", key, got, ok, env)
		}
	}
}

func TestParseAPIKeyRefusesMalformedKeys(t *testing.T) {
	key, _, _, _, _ := schema.NewAPIKey(schema.EnvProduction)
	flip := func(i int) string {
		b := []byte(key)
		if b[i] == 'a' {
			b[i] = 'b'
		} else {
			b[i] = 'a'
		}
		return string(b)
	}
	tests := map[string]string{
		"empty":             "",
		"other prefix":      "aex" + key[3:],
		"unknown env":       strings.Replace(key, "_prod_", "_prd_", 1),
		"short":             key[:len(key)-1],
		"long":              key + "x",
		"random changed":    flip(12),
		"checksum changed":  flip(len(key) - 1),
		"not base62":        key[:12] + "-" + key[13:],
		"missing separator": strings.Replace(key, "_", "", 2),
		"other env tag":     strings.Replace(key, "_prod_", "_stg_", 1),
	}
	for name, k := range tests {
		if _, ok := schema.ParseAPIKey(k); ok {
			t.Errorf("%s: ParseAPIKey(%q) accepted it", name, k)
		}
	}
	if _, _, _, _, err := schema.NewAPIKey("qa"); schema.ErrorCode(err) != schema.CodeInvalid {
		t.Errorf("NewAPIKey(qa) = %v; want invalid", err)
	}
}

func TestParseAPIKeyDoesNotAllocate(t *testing.T) {
	key, _, _, _, _ := schema.NewAPIKey(schema.EnvStaging)
	if n := testing.AllocsPerRun(100, func() { schema.ParseAPIKey(key) }); n != 0 {
		t.Fatalf("ParseAPIKey allocates %v times", n)
	}
}

// FuzzParseAPIKey: nothing makes the parser panic, and whatever it accepts
// is a well-formed key of the environment it names.
func FuzzParseAPIKey(f *testing.F) {
	for _, env := range []string{schema.EnvProduction, schema.EnvStaging, schema.EnvDevelopment} {
		key, _, _, _, _ := schema.NewAPIKey(env)
		f.Add(key)
		f.Add(key[:len(key)-1])
		f.Add(key + "_")
	}
	f.Add("")
	f.Add("aeg_")
	f.Add("aeg_prod_")
	f.Add("aeg_prod_" + strings.Repeat("A", 32) + "_000000")
	f.Fuzz(func(t *testing.T, key string) {
		env, ok := schema.ParseAPIKey(key)
		if !ok {
			return
		}
		tag := map[string]string{schema.EnvProduction: "prod", schema.EnvStaging: "stg", schema.EnvDevelopment: "dev"}[env]
		if !strings.HasPrefix(key, "aeg_"+tag+"_") || len(key) != len("aeg_"+tag+"_")+32+1+6 {
			t.Fatalf("accepted %q as %s", key, env)
		}
	})
}
