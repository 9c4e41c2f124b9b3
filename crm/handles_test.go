package crm

import "testing"

func TestNormalizeHandle(t *testing.T) {
	cases := []struct{ platform, in, want string }{
		{"x", "@JMueller_SZ", "jmueller_sz"},
		{"x", "https://x.com/AnjaWeiss", "anjaweiss"},
		{"x", "twitter.com/anjaweiss?s=20", "anjaweiss"},
		{"x", "https://mobile.twitter.com/anjaweiss/status/1", "anjaweiss"},
		{"x", "  anjaweiss  ", "anjaweiss"},
		{"youtube", "https://www.youtube.com/@TechMitTina", "techmittina"},
		{"youtube", "youtube.com/c/TechMitTina", "techmittina"},
		{"youtube", "https://www.youtube.com/user/TechMitTina/videos", "techmittina"},
		{"youtube", "https://www.youtube.com/channel/UCabc123", "ucabc123"},
		{"instagram", "instagram.com/juergen.m/", "juergen.m"},
		{"tiktok", "https://www.tiktok.com/@foodie_hh", "foodie_hh"},
		{"linkedin", "https://www.linkedin.com/in/anja-weiss-123/", "anja-weiss-123"},
		{"xing", "https://www.xing.com/profile/Anja_Weiss", "anja_weiss"},
		{"bluesky", "https://bsky.app/profile/anja.bsky.social", "anja.bsky.social"},
		{"mastodon", "@anja@chaos.social", "anja@chaos.social"},
		{"mastodon", "https://chaos.social/@anja", "anja@chaos.social"},
		{"blog", "https://www.Gesund-in-Muenchen.de/", "gesund-in-muenchen.de"},
		{"x", "", ""},
	}
	for _, c := range cases {
		if got := NormalizeHandle(c.platform, c.in); got != c.want {
			t.Errorf("NormalizeHandle(%q, %q) = %q, want %q", c.platform, c.in, got, c.want)
		}
	}
}

func TestPasswordHash(t *testing.T) {
	long := "Üñíçødé-Passwört-ß€-日本語のパスワード-🎉-ÄÖÜäöüß-0123456789-abcdefghijklm" // 64 characters
	if n := len([]rune(long)); n != 64 {
		t.Fatalf("test password has %d characters", n)
	}
	h, err := HashPassword(long)
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		pw   string
		want bool
	}{
		"ok":                {long, true},
		"err_last_char":     {long[:len(long)-1] + "i", false},
		"err_truncated":     {string([]rune(long)[:63]), false},
		"err_empty":         {"", false},
		"err_nfd_not_equal": {"U\u0308" + long[2:], false},
	} {
		ok, err := CheckPassword(h, c.pw)
		if err != nil || ok != c.want {
			t.Errorf("%s: CheckPassword = %v, %v; want %v", name, ok, err, c.want)
		}
	}
	if h2, _ := HashPassword(long); h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	if _, err := CheckPassword("$2a$10$bcrypt", "x"); err == nil {
		t.Error("a non-argon2id hash was accepted")
	}
	if want := "$argon2id$v=19$m=19456,t=2,p=1$"; h[:len(want)] != want {
		t.Errorf("hash %q does not use OWASP's minimum parameters", h)
	}
}

// TestPlatformOfHost: one table of platform hosts; a host the handle rules
// know is the platform the import files a web address under.
func TestPlatformOfHost(t *testing.T) {
	for host, want := range map[string]string{"x.com": "x", "WWW.Twitter.com": "x", "m.youtube.com": "youtube",
		"youtu.be": "youtube", "www.linkedin.com": "linkedin", "bsky.app": "bluesky", "example.org": ""} {
		if got := PlatformOfHost(host); got != want {
			t.Errorf("PlatformOfHost(%q) = %q, want %q", host, got, want)
		}
	}
	for p, ph := range profileHosts {
		for _, h := range ph.hosts {
			if got := PlatformOfHost(h); got != p {
				t.Errorf("host %s of %s is filed as %q", h, p, got)
			}
		}
	}
}
