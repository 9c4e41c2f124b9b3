package handlers

import (
	"strconv"
	"testing"

	"github.com/rapport-crm/rapport/crm"
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

// TestReadmeDuplicates: the figures README.md states of /duplicates and
// merges are the code's.
func TestReadmeDuplicates(t *testing.T) {
	docfacts.Check(t, "../README.md", []docfacts.Fact{
		docfacts.F(`lists up to (\d+) pairs of contacts that may be one person`, strconv.Itoa(duplicatesShown)),
		docfacts.F(`a pair needs a score of (\d+), so a common name alone`, strconv.Itoa(crm.DuplicateThreshold)),
		docfacts.F(`skips a key shared by more than (\d+) contacts`, strconv.Itoa(crm.MaxDuplicateBlock)),
		docfacts.F(`The last (\d+) merges are listed`, strconv.Itoa(recentMerges)),
	})
}
