// Package deptest checks, from a module's own tests, the rules that keep
// Aegis's layout standing: which packages a module may depend on, and that
// every package has exactly one package doc comment. It uses only the
// standard library and the go command, so any module can use it without
// taking on dependencies.
package deptest

import (
	"bufio"
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Module is the import path prefix of every Aegis module.
const Module = "github.com/aegis-oss/aegis"

// Deps returns every package that the packages matched by pattern depend
// on, directly or not, excluding tests and the matched packages themselves,
// mapped to whether it belongs to the standard library. It runs `go list`
// in the current directory.
func Deps(t testing.TB, pattern string) map[string]bool {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if .DepOnly}}{{.ImportPath}} {{.Standard}}{{end}}", pattern)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v\n%s", pattern, err, stderr.String())
	}
	deps := make(map[string]bool)
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if path, std, ok := strings.Cut(sc.Text(), " "); ok {
			deps[path] = std == "true"
		}
	}
	return deps
}

// OnlyStandardLibrary fails the test if the packages matched by pattern
// depend on anything outside the standard library and allowed.
func OnlyStandardLibrary(t testing.TB, pattern string, allowed ...string) {
	t.Helper()
	for path, std := range Deps(t, pattern) {
		if !std && !hasPrefix(path, allowed) {
			t.Errorf("%s depends on %s, which is not in the standard library", pattern, path)
		}
	}
}

// Forbid fails the test if the packages matched by pattern depend on a
// package under any of the forbidden import path prefixes.
func Forbid(t testing.TB, pattern string, forbidden ...string) {
	t.Helper()
	for path := range Deps(t, pattern) {
		if hasPrefix(path, forbidden) {
			t.Errorf("%s depends on %s, which it must not", pattern, path)
		}
	}
}

func hasPrefix(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if path == p || strings.HasPrefix(path, strings.TrimSuffix(p, "/")+"/") {
			return true
		}
	}
	return false
}

// PackageDocs fails the test unless every package under dir (a module's
// root) has exactly one "// Package <name> ..." comment, in a non-test file.
func PackageDocs(t testing.TB, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if path != dir && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules" || fileExists(filepath.Join(path, "go.mod"))) {
			return filepath.SkipDir
		}
		checkPackageDoc(t, path)
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
}

func checkPackageDoc(t testing.TB, dir string) {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Errorf("parse %s: %v", dir, err)
		return
	}
	for name, pkg := range pkgs {
		var docs []string
		for file, f := range pkg.Files {
			if f.Doc != nil && strings.HasPrefix(f.Doc.Text(), "Package "+name+" ") {
				docs = append(docs, filepath.Base(file))
			}
		}
		switch {
		case name == "main":
			// Commands are documented by their help text.
		case len(docs) == 0:
			t.Errorf("package %s in %s has no \"// Package %s ...\" comment", name, dir, name)
		case len(docs) > 1:
			t.Errorf("package %s in %s has a package comment in %d files: %v", name, dir, len(docs), docs)
		}
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
