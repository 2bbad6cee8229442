// Package imagetest helps tests of images. It fetches real JavaScript from
// the npm registry (pinned packages, with `npm pack`, into a cache outside
// the repository, so no third-party code is committed), and it rewrites an
// image's payload as a crafted file would (Rewrite, Extra).
package imagetest

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var mu sync.Mutex

// CacheDir is where fetched packages are kept: $STASIS_NPM_CACHE, or
// stasis/npm under the user's cache directory.
func CacheDir() (string, error) {
	if d := os.Getenv("STASIS_NPM_CACHE"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "stasis", "npm"), nil
}

// Package returns the directory of the unpacked npm package spec (such as
// "lodash@4.17.21"), fetching it once. It skips the test when npm is not
// installed and fails it when npm cannot fetch the package.
func Package(t testing.TB, spec string) string {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	cache, err := CacheDir()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cache, strings.ReplaceAll(spec, "/", "_"))
	if _, err := os.Stat(filepath.Join(dir, ".complete")); err == nil {
		return dir
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skipf("npm is not installed: cannot fetch %s", spec)
	}
	tmp, err := os.MkdirTemp("", "stasis-npm-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command(npm, "pack", spec, "--silent", "--pack-destination", tmp)
	cmd.Dir = tmp
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("npm pack %s: %v\n%s", spec, err, out)
	}
	tgz := filepath.Join(tmp, strings.TrimSpace(lastLine(string(out))))
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := untar(tgz, dir); err != nil {
		t.Fatalf("unpack %s: %v", spec, err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".complete"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// untar unpacks a gzipped tarball into dir, dropping the archive's top
// folder ("package/" for most packages).
func untar(tgz, dir string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.ToSlash(h.Name)
		if i := strings.IndexByte(name, '/'); i >= 0 {
			name = name[i+1:]
		}
		if name == "" || strings.Contains(name, "..") {
			continue
		}
		target := filepath.Join(dir, filepath.FromSlash(name))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			out, err := os.Create(target)
			if err != nil {
				return err
			}
			_, err = io.Copy(out, tr)
			out.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
}
