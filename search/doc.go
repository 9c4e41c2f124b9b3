// Package search is Rapport's full-text search: one bleve document per
// contact, with an explicit mapping and analyzers for names (folded:
// Müller = Mueller = Muller) and German and English prose (stemmed, with
// feminine forms and compounds of professions brought together); a small
// query language (words, "phrases", -exclusions, e-mail addresses and
// @handles, prefix matching while typing, one typo in names); facets,
// sorting and keyset paging; and the indexer that follows the change log
// (the outbox table written by package db) so that every committed change
// reaches the index, also across crashes and on several app instances.
//
// PostgreSQL (or SQLite) stays the source of truth: the index returns ids,
// scores and snippets, and pages render rows from the database. The index
// can always be rebuilt from the database (Build, `rapport reindex`).
package search
