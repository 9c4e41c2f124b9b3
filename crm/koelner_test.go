package crm

import "testing"

func TestKoelner(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Müller-Lüdenscheidt", "65752682"}, // the example of the algorithm's description
		{"Wikipedia", "3412"},
		{"Breschnew", "17863"},
		{"Meier", "67"}, {"Maier", "67"}, {"Mayer", "67"}, {"Meyer", "67"},
		{"Müller", "657"}, {"Mueller", "657"}, {"Muller", "657"},
		{"Schmidt", "862"}, {"Schmitt", "862"}, {"Schmid", "862"},
		{"Christoph", "47823"}, {"Christof", "47823"},
		{"Klein", "456"}, {"Kline", "456"},
		{"Becker", "147"}, {"Bäcker", "147"},
		{"Yılmaz", "0568"}, // ı is no A–Z letter: "Ylmaz", a leading vowel keeps its 0
		{"", ""}, {"123", ""},
	} {
		if got := Koelner(tc.in); got != tc.want {
			t.Errorf("Koelner(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
