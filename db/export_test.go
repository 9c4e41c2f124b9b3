package db

// BackfillSortKeys exposes the sort-key backfill to the tests.
var BackfillSortKeys = backfillSortKeys

// PreparedTexts is how many statement texts d's pool has prepared.
func PreparedTexts(d *DB) int {
	d.prep.mu.Lock()
	defer d.prep.mu.Unlock()
	return d.prep.n
}
