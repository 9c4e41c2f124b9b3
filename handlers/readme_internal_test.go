package handlers

import (
	"strconv"
	"testing"

	"github.com/rapport-crm/rapport/internal/docfacts"
)

// TestReadmeUploadLimit: the import upload limit README.md states is the
// server's default.
func TestReadmeUploadLimit(t *testing.T) {
	docfacts.Check(t, "../README.md", []docfacts.Fact{
		docfacts.F(`Excel workbook \(\.xlsx\) or a vCard file \(\.vcf\) of up to (\d+) MiB\.`, strconv.Itoa(defaultMaxUpload>>20)),
	})
	if defaultMaxUpload%(1<<20) != 0 {
		t.Errorf("the upload limit %d is not a whole number of MiB", defaultMaxUpload)
	}
}
