// Package static embeds Rapport's CSS and vendored JavaScript and serves them
// under content-hashed URLs, so browsers may cache them for a year.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed app.css vendor
var files embed.FS

// FS is the embedded file tree.
var FS fs.FS = files

// Prefix is the URL path under which the files are served.
const Prefix = "/static/"

var hashes = func() map[string]string {
	m := map[string]string{}
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m[p] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
	return m
}()

// URL returns the cache-busting URL of an embedded file, e.g.
// /static/app.css?v=3f2a…; it changes whenever the file does.
func URL(name string) string {
	return Prefix + name + "?v=" + hashes[name]
}

// Handler serves the embedded files. A request whose v= matches the file's
// hash may be cached for a year; anything else must be revalidated. Only
// files are served, no directory listings.
func Handler() http.Handler {
	fsrv := http.StripPrefix(strings.TrimSuffix(Prefix, "/"), http.FileServerFS(files))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, Prefix)
		h, ok := hashes[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("v") == h {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		fsrv.ServeHTTP(w, r)
	})
}
