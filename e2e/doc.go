// Package e2e holds Rapport's browser tests: the real app on a real
// PostgreSQL database, driven by headless Chromium through chromedp.
//
// Run them with
//
//	RAPPORT_REQUIRE_BROWSER=1 RAPPORT_REQUIRE_POSTGRES=1 go test -count=1 -v ./e2e/
//
// Without a browser the tests skip, unless RAPPORT_REQUIRE_BROWSER=1 (as in
// CI) turns that into a failure; PostgreSQL is handled the same way by
// db/dbtest and RAPPORT_REQUIRE_POSTGRES. The tests save full-page screenshots
// in t.ArtifactDir(), and one named failure.png when a test fails. They are
// removed when the test ends unless go test gets -artifacts; to keep them in
// the git-ignored e2e/output:
//
//	mkdir -p e2e/output && go test -count=1 -v -artifacts -outputdir=e2e/output ./e2e/
package e2e
