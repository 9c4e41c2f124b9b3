package crm

import (
	"strconv"
	"strings"
	"time"
)

// FigureForm is the figures form as typed: a date (2026-11-30, the date
// input's, or 30.11.2026) and whole numbers with or without thousands
// separators; empty optional numbers are unknown.
type FigureForm struct {
	At, Followers, Engagement, Impressions, Posts string
}

// Input reads the form for owned channel id; problems are field errors in
// the form's words (Record checks the values themselves).
func (f FigureForm) Input(id int) (FigureInput, FieldErrors) {
	in := FigureInput{OwnedChannelID: id, Source: "manual"}
	fe := FieldErrors{}
	at := strings.TrimSpace(f.At)
	for _, layout := range []string{time.DateOnly, "02.01.2006", "2.1.2006"} {
		if t, err := time.Parse(layout, at); err == nil {
			in.At = t.Add(12 * time.Hour) // noon, as the coverage form does
			break
		}
	}
	if in.At.IsZero() {
		fe.Add("at", "Enter the date of the figures.")
	}
	n, ok := formCount(f.Followers)
	if !ok || n == nil {
		fe.Add("followers", "Followers are a number, 0 or more.")
	} else {
		in.Followers = *n
	}
	if in.Engagement, ok = formCount(f.Engagement); !ok {
		fe.Add("engagement", "A number, 0 or more.")
	}
	if in.Impressions, ok = formCount(f.Impressions); !ok {
		fe.Add("impressions", "A number, 0 or more.")
	}
	if p, ok := formCount(f.Posts); !ok || (p != nil && *p > 1_000_000) {
		fe.Add("posts", "A number, 0 or more.")
	} else if p != nil {
		k := int(*p)
		in.Posts = &k
	}
	return in, fe
}

// ProfileInput reads the form for a contact's channel id (its figures page).
func (f FigureForm) ProfileInput(id int) (FigureInput, FieldErrors) {
	in, fe := f.Input(0)
	in.SocialProfileID = id
	return in, fe
}

// formCount reads a whole number, 0 or more, with thousands separators
// (12.500, 12,500, 12 500); empty is nil.
func formCount(s string) (*int64, bool) {
	s = strings.Map(func(r rune) rune {
		if r == '.' || r == ',' || r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\'' {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return nil, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > MaxFigure {
		return nil, false
	}
	return &n, true
}
