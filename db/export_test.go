package db

// BackfillSortKeys exposes the sort-key backfill to the tests.
var BackfillSortKeys = backfillSortKeys
