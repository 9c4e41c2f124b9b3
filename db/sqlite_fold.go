package db

import (
	"database/sql/driver"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"modernc.org/sqlite"
)

// SQLite's built-in lower() and upper() fold the ASCII letters only, so
// ent's case-blind predicates (ContainsFold, EqualFold: LOWER(col) LIKE or =
// an argument ent lowered in Go) never matched "Özdemir" for "özdemir",
// where PostgreSQL's ILIKE and lower() do. These replace both functions on
// every SQLite connection the process opens (SQLite lets an application
// function override a built-in of the same name and argument count) with
// Go's Unicode case mapping, the one ent applies to the argument, which
// agrees with PostgreSQL's lower() and upper() under a UTF-8 ctype for
// German text (ä ö ü ß, Ä Ö Ü, É). Neither maps "ß" to "ss" or "SS".
//
// Deterministic, so they may still appear in expression indexes and CHECK
// constraints; the migrations have none on lower() or upper().
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("lower", 1, foldFunc(unicode.ToLower))
	sqlite.MustRegisterDeterministicScalarFunction("upper", 1, foldFunc(unicode.ToUpper))
}

// foldFunc is a one-argument SQL function that maps the letters of its
// argument's text with to. Like the built-ins it returns NULL for NULL and
// text for anything else (a number as SQLite writes it as text, so
// lower(1e999) is "inf").
func foldFunc(to func(rune) rune) func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) {
	return func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case nil:
			return nil, nil
		case string:
			return mapRunes(v, to), nil
		case []byte:
			return mapRunes(string(v), to), nil
		case int64:
			return strconv.FormatInt(v, 10), nil
		case float64:
			return mapRunes(sqliteReal(v), to), nil
		default:
			return v, nil
		}
	}
}

// mapRunes maps every rune of s with to. Unlike strings.Map it keeps bytes
// that are not UTF-8 as they are, as SQLite's own functions do; text that
// is all ASCII without the letters to changes is returned without a copy.
func mapRunes(s string, to func(rune) rune) string {
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || to(rune(c)) != rune(c) {
			break
		}
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteRune(to(r))
		i += n
	}
	return b.String()
}

// sqliteReal writes f as SQLite writes a REAL as text (CAST(f AS TEXT),
// "%!.17g"): 15 significant digits when they read back as f, else 17,
// with ".0" when there would be no point, and an exponent of at least two
// digits below 1e-4 and from 1e17 on ("1.0e+20", "9.0e-05"). SQLite makes
// its 17 digits with a faster, inexact method, so a number that needs
// them may differ in the last digit (1.0/3: SQLite "0.33333333333333332",
// here "0.33333333333333331"); both read back as the same number.
func sqliteReal(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	case f == 0:
		return "0.0"
	}
	prec := 15
	if g, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'e', 14, 64), 64); g != f {
		prec = 17
	}
	e := strconv.FormatFloat(f, 'e', prec-1, 64) // "-d.ddde±XX"
	at := strings.IndexByte(e, 'e')
	m := strings.TrimRight(e[:at], "0") // "1.500" → "1.5", "1.000" → "1."
	exp, _ := strconv.Atoi(e[at+1:])
	if strings.HasSuffix(m, ".") {
		m += "0"
	}
	if exp < -4 || exp >= 17 {
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		x := strconv.Itoa(exp)
		if len(x) < 2 {
			x = "0" + x
		}
		return m + "e" + sign + x
	}
	// The same digits without exponent.
	neg := m[0] == '-'
	digits := strings.Replace(strings.TrimPrefix(m, "-"), ".", "", 1)
	digits = strings.TrimRight(digits, "0")
	var out string
	switch {
	case exp < 0:
		out = "0." + strings.Repeat("0", -exp-1) + digits
	case exp+1 >= len(digits):
		out = digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
	default:
		out = digits[:exp+1] + "." + digits[exp+1:]
	}
	if neg {
		out = "-" + out
	}
	return out
}
