// Package migrations embeds Rapport's versioned SQL migrations, one directory per
// dialect, each checked against its atlas.sum. New files come from
// `make migration NAME=…` (ent/migrate/diff); never edit an applied file.
package migrations

import "embed"

// FS holds the postgres/ and sqlite/ directories.
//
//go:embed postgres sqlite
var FS embed.FS
