package crm

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestTextLimitsOnSegmentsAndExports: saving a segment and starting an
// export (web and command line) refuse text over the limits on search text
// with the limit in the field's message, before any statement.
func TestTextLimitsOnSegmentsAndExports(t *testing.T) {
	ctx := context.Background()
	long := strings.Repeat("x", 600_000)
	fieldOf := func(err error, field string) string {
		var e *Error
		if !errors.As(err, &e) || e.Code != EInvalid {
			t.Fatalf("err %v, want an invalid-input error", err)
		}
		return e.Fields[field]
	}
	_, err := SaveSegment(ctx, nil, 0, SegmentInput{Name: "Zu lang", Selection: Selection{Query: long}})
	if msg := fieldOf(err, "query"); !strings.Contains(msg, "at most 500 characters") {
		t.Errorf("segment: %q", msg)
	}
	_, _, err = StartExport(ctx, nil, ExportRequest{Selection: Selection{Query: strings.Repeat("Müller ", 21)},
		Format: "csv", Purpose: "Presseverteiler"}, time.Now())
	if msg := fieldOf(err, "q"); !strings.Contains(msg, "at most 20 words") {
		t.Errorf("export: %q", msg)
	}
	if err := CheckText("q", strings.Repeat("Müller ", 20)); err != nil {
		t.Errorf("20 words: %v", err)
	}
}
