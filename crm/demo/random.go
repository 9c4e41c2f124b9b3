package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// demoFill replaces {x} placeholders by vals["x"] in one pass.
func demoFill(tmpl string, vals map[byte]string) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] == '{' && i+2 < len(tmpl) && tmpl[i+2] == '}' {
			b.WriteString(vals[tmpl[i+1]])
			i += 2
			continue
		}
		b.WriteByte(tmpl[i])
	}
	return b.String()
}

var demoFoldSpecial = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "æ", "ae", "ø", "o", "å", "a",
	"ł", "l", "đ", "d", "ı", "i", "œ", "oe")

// demoFold turns a name into lower-case ASCII for addresses and handles:
// Müller → mueller, Łukasz → lukasz, Nguyễn → nguyen. Only a-z, 0-9 and the
// characters in keep survive; spaces become keep's first character, if any.
func demoFold(s, keep string) string {
	s = demoFoldSpecial.Replace(strings.ToLower(s))
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', strings.ContainsRune(keep, r):
			b.WriteRune(r)
		case r == ' ' && keep != "":
			b.WriteByte(keep[0])
		}
	}
	return b.String()
}

// demoWeighted picks an index with probability proportional to its weight.
func demoWeighted(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// demoOf picks one element of s.
func demoOf[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// demoWeightsFor returns the weights of names in their order; a name without a weight gets 0.
func demoWeightsFor(names []string, weights map[string]int) []int {
	out := make([]int, len(names))
	for i, n := range names {
		out[i] = weights[n]
	}
	return out
}

// demoCompound joins a topic prefix and a noun: Gesundheits+Bloggerin →
// Gesundheitsbloggerin, Tech-+YouTuber → Tech-YouTuber.
// A noun with inner capitals gets a hyphen: Gesundheits-YouTuberin.
func demoCompound(prefix, noun string) string {
	switch {
	case strings.HasSuffix(prefix, "-"):
		return prefix + noun
	case strings.ToLower(noun[1:]) != noun[1:]:
		return prefix + "-" + noun
	}
	return prefix + strings.ToLower(noun)
}

// demoDistinct adds distinct random indexes below n to have until it holds want.
func demoDistinct(r *rand.Rand, have []int, want, n int) []int {
	for len(have) < want {
		if x := r.IntN(n); !slices.Contains(have, x) {
			have = append(have, x)
		}
	}
	return have
}

// demoDigits returns n random digits without a leading zero.
func demoDigits(r *rand.Rand, n int) string {
	low := int(math.Pow10(n - 1))
	return strconv.Itoa(low + r.IntN(9*low))
}

// ago returns a time of day (7 to 18 o'clock UTC) minDays (at least 1) to
// minDays+spanDays days before the day of loading.
func (g *demoGen) ago(r *rand.Rand, minDays, spanDays int) time.Time {
	return g.base.AddDate(0, 0, -minDays-r.IntN(spanDays)).Add(time.Duration(7*3600+r.IntN(11*3600)) * time.Second)
}
