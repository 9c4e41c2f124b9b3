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
//
// TestEveryPageFitsAndPassesAxe opens every page of the route table as each
// role at 390, 768 and 1280 px and runs axe-core (vendored in testdata/axe,
// no network needed) on each; it saves screenshots of the start page, a
// contact, the contact list and the search at 390 and 1280 px into
// $RAPPORT_SCREENSHOTS, or e2e/output/screens, and prints the folder.
package e2e
