package importing

import (
	"strconv"
	"strings"
	"unicode"
)

// splitList splits a multi-value cell at any of seps, trimming and dropping empties.
func splitList(v, seps string) []string {
	parts := strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(seps, r) })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// splitName splits "Jürgen Müller" into first and last name; "Müller, Jürgen"
// is read the other way round. One word is a last name.
func splitName(v string) (first, last string) {
	v = strings.Join(strings.Fields(v), " ")
	if l, f, ok := strings.Cut(v, ","); ok {
		return strings.TrimSpace(f), strings.TrimSpace(l)
	}
	i := strings.LastIndexByte(v, ' ')
	if i < 0 {
		return "", v
	}
	return v[:i], v[i+1:]
}

// joinText adds a paragraph unless it is there already.
func joinText(have, add string) string {
	switch {
	case have == "":
		return add
	case add == "" || strings.Contains(have, add):
		return have
	}
	return have + "\n\n" + add
}

// parseCount reads follower counts as people write them: 48200, 48.200,
// 48,200, 48 200, 1.2k, 1,5 Mio.
func parseCount(v string) (int64, bool) {
	s := strings.ToLower(strings.TrimSpace(v))
	mult := 1.0
	for _, sf := range []struct {
		suf string
		m   float64
	}{{"mio.", 1e6}, {"mio", 1e6}, {"tsd.", 1e3}, {"tsd", 1e3}, {"mn", 1e6}, {"k", 1e3}, {"m", 1e6}} {
		t, ok := strings.CutSuffix(s, sf.suf)
		t = strings.TrimSpace(t)
		if ok && t != "" && unicode.IsDigit(rune(t[len(t)-1])) {
			s, mult = t, sf.m
			break
		}
	}
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\'' {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return 0, false
	}
	if mult > 1 {
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
		if err != nil || f < 0 || f > 1e12 {
			return 0, false
		}
		return int64(f * mult), true
	}
	// Thousands separators: 1.250.000 or 1,250,000 (groups of three).
	if n, ok := grouped(s, '.'); ok {
		return n, true
	}
	if n, ok := grouped(s, ','); ok {
		return n, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

func grouped(s string, sep byte) (int64, bool) {
	parts := strings.Split(s, string(sep))
	if len(parts) < 2 || len(parts[0]) == 0 || len(parts[0]) > 3 {
		return 0, false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(strings.Join(parts, ""), 10, 64)
	return n, err == nil && n >= 0
}

func parseBool(v string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "yes", "y", "true", "ja", "j", "x", "wahr":
		return true, true
	case "0", "no", "n", "false", "nein", "falsch", "":
		return false, true
	}
	return false, false
}

// countries maps names people write to ISO codes.
var countries = map[string]string{
	"deutschland": "DE", "germany": "DE", "österreich": "AT", "oesterreich": "AT", "austria": "AT",
	"schweiz": "CH", "switzerland": "CH", "suisse": "CH", "frankreich": "FR", "france": "FR",
	"italien": "IT", "italy": "IT", "spanien": "ES", "spain": "ES", "niederlande": "NL", "netherlands": "NL",
	"belgien": "BE", "belgium": "BE", "luxemburg": "LU", "luxembourg": "LU", "polen": "PL", "poland": "PL",
	"dänemark": "DK", "denmark": "DK", "schweden": "SE", "sweden": "SE", "norwegen": "NO", "norway": "NO",
	"vereinigtes königreich": "GB", "united kingdom": "GB", "uk": "GB", "großbritannien": "GB", "england": "GB",
	"irland": "IE", "ireland": "IE", "usa": "US", "united states": "US", "vereinigte staaten": "US",
	"türkei": "TR", "turkey": "TR", "china": "CN", "tschechien": "CZ", "czechia": "CZ", "portugal": "PT",
}

// countryCode reads a country as a two-letter code or a common name.
func countryCode(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if len(v) == 2 && strings.Trim(strings.ToUpper(v), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
		return strings.ToUpper(v), true
	}
	c, ok := countries[strings.ToLower(v)]
	return c, ok
}
