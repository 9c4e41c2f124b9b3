package importing

import (
	"testing"
)

// FuzzReadFigures: any bytes as a figures file never panic; each row read
// is new or an error with a reason, a new row has a date, a channel key and
// no negative figure (what Record would refuse is caught in the plan).
func FuzzReadFigures(f *testing.F) {
	f.Add([]byte("Datum;Kanal;Plattform;Follower;Interaktionen\n01.12.2026;@a;X;12.500;340\n31.02.2026;b;x;-5;\n"))
	f.Add([]byte("date,profile,followers,posts\n2026-11-30,https://www.instagram.com/a/,2,5k,3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzCoverageBudget {
			t.Skip("larger than the per-input budget")
		}
		ff, err := ReadFigures("f.csv", data)
		if err != nil {
			return
		}
		m := GuessFigures(ff.Header)
		if checkFiguresMapping(ff.Header, m) != nil {
			return
		}
		for _, rec := range ff.Rows {
			r := readFigureRow(rec, ff.Header, m)
			switch r.Status {
			case CoverageError:
				if len(r.Problems) == 0 {
					t.Fatalf("row %d: an error without a reason", r.Row)
				}
			case CoverageNew:
				in := r.Input
				if in.At.IsZero() || r.Key.Handle == "" || in.Followers < 0 ||
					(in.Engagement != nil && *in.Engagement < 0) || (in.Impressions != nil && *in.Impressions < 0) || (in.Posts != nil && *in.Posts < 0) {
					t.Fatalf("row %d read as new: %+v %+v", r.Row, in, r.Key)
				}
			default:
				t.Fatalf("row %d: status %q", r.Row, r.Status)
			}
		}
	})
}
