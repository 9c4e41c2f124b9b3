package handlers_test

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

type goquerySelection = goquery.Selection

func zipOf(t *testing.T, name string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, _ := w.Create(name)
	_, _ = f.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
