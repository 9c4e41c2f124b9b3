package db

// BackfillSortKeys exposes the sort-key backfill to the tests.
var BackfillSortKeys = backfillSortKeys

// PreparedTexts is how many statement texts d's pool has prepared, once
// the preparations under way are done.
func PreparedTexts(d *DB) int {
	d.prep.wg.Wait()
	n := 0
	d.prep.stmts.Range(func(_, _ any) bool { n++; return true })
	return n
}
