package examples_test

import (
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The examples module stands alone: it imports no other Aegis module, so the
// checks below are small copies of the ones schema/deptest offers.

func TestEveryPackageIsDocumented(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if path != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || fileExists(filepath.Join(path, "go.mod"))) {
			return filepath.SkipDir
		}
		checkPackageDoc(t, path)
		return nil
	})
	if err != nil {
		t.Fatalf("walk the module: %v", err)
	}
}

func TestOnlyStandardLibrary(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if and .DepOnly (not .Standard)}}{{.ImportPath}}{{end}}", "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps ./...: %v\n%s", err, stderr.String())
	}
	for _, path := range strings.Fields(string(out)) {
		t.Errorf("the examples depend on %s, which is not in the standard library", path)
	}
}

// checkPackageDoc fails the test unless the package in dir has exactly one
// "// Package <name> ..." comment, in a non-test file. Commands (package
// main) are documented by their help text and are not checked.
func checkPackageDoc(t *testing.T, dir string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatalf("list %s: %v", dir, err)
	}
	fset := token.NewFileSet()
	docs := make(map[string][]string) // package name → files holding its doc comment
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			t.Errorf("parse %s: %v", file, err)
			continue
		}
		name := f.Name.Name
		if _, ok := docs[name]; !ok {
			docs[name] = nil
		}
		if f.Doc != nil && strings.HasPrefix(f.Doc.Text(), "Package "+name+" ") {
			docs[name] = append(docs[name], filepath.Base(file))
		}
	}
	for name, files := range docs {
		switch {
		case name == "main":
		case len(files) == 0:
			t.Errorf("package %s in %s has no \"// Package %s ...\" comment", name, dir, name)
		case len(files) > 1:
			t.Errorf("package %s in %s has a package comment in %d files: %v", name, dir, len(files), files)
		}
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
