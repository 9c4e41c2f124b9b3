package search

// SetStockSegments makes Build use bleve's own zap plugin instead of
// parallelZap, until the returned function is called.
func SetStockSegments() (restore func()) {
	segmentsInParallel = false
	return func() { segmentsInParallel = true }
}
