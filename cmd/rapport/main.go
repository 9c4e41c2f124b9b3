// Command rapport is the Rapport server and its administration tool:
//
//	rapport serve      serve the web app
//	rapport migrate    apply pending database migrations
//	rapport user add   create a user (the first admin, for one)
//	rapport demo       load a realistic demo dataset
//	rapport health     recompute relationship health (the server does it nightly)
//	rapport export     export a segment or a search to a file
//	rapport reindex    rebuild the search index from the database
//	rapport import     import contacts from CSV, XLSX or vCard
//	rapport privacy    the retention sweep (the server does it daily)
//
// Settings come from RAPPORT_* environment variables; flags override them.
// Messages to the user speak the language of RAPPORT_LANG, LC_ALL,
// LC_MESSAGES or LANG (German when none is set); log lines stay English.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/rapport-crm/rapport/locale"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		report(locale.With(context.Background(), cliLocale(os.Getenv)), os.Stderr, err)
		os.Exit(1)
	}
}

// commands are the subcommands with what they do, for the usage text.
var commands = [][2]string{
	{"serve", "serve the web app (default 127.0.0.1:8080)"},
	{"migrate", "apply pending database migrations"},
	{"user add", "create a user: rapport user add --email E --name N --role admin"},
	{"demo", "load a realistic demo dataset (1,000 contacts by default)"},
	{"health", "recompute relationship health now: rapport health --recompute"},
	{"export", "export a segment or a search: rapport export --query \"\" --format csv --purpose P --out FILE"},
	{"reindex", "rebuild the search index from the database; a running server switches to it"},
	{"import", "import contacts: rapport import FILE [--mapping NAME | --map COLUMN=FIELD …] [--dry-run] [--as EMAIL]"},
	{"privacy", "data protection: rapport privacy sweep (put contacts due under the retention policies on the review list)"},
	{"backup", "copy the embedded SQLite database while serving: rapport backup FILE"},
	{"restore", "put a backup in place (server stopped); the index rebuilds: rapport restore FILE"},
}

// printUsage writes the usage text in ctx's language.
func printUsage(ctx context.Context, w io.Writer) {
	fmt.Fprintf(w, "%s\n\n%s\n\n%s\n", tr(ctx, "Rapport: the influencer-relations CRM."),
		tr(ctx, "Usage: rapport <command> [flags]"), tr(ctx, "Commands:"))
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c[0], tr(ctx, c[1]))
	}
	fmt.Fprintf(w, "\n%s\n", tr(ctx, "Run 'rapport <command> --help' for the flags of a command."))
}

// run dispatches to a subcommand; it is main without the process, for tests.
// The language of its messages follows the environment (cliLocale).
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	ctx = locale.With(ctx, cliLocale(os.Getenv))
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(ctx, stdout)
		return nil
	}
	switch args[0] {
	case "serve":
		return serveCmd(ctx, args[1:], stdout, stderr)
	case "migrate":
		return migrateCmd(ctx, args[1:], stdout, stderr)
	case "user":
		if len(args) < 2 || args[1] != "add" {
			return usageError(ctx, "user add --email E --name N --role admin|manager|staff")
		}
		return userAddCmd(ctx, args[2:], stdin, stdout, stderr)
	case "demo":
		return demoCmd(ctx, args[1:], stdout, stderr)
	case "health":
		return healthCmd(ctx, args[1:], stdout, stderr)
	case "export":
		return exportCmd(ctx, args[1:], stdout, stderr)
	case "reindex":
		return reindexCmd(ctx, args[1:], stdout, stderr)
	case "import":
		return importCmd(ctx, args[1:], stdout, stderr)
	case "privacy":
		return privacyCmd(ctx, args[1:], stdout, stderr)
	case "backup":
		return backupCmd(ctx, args[1:], stdout, stderr)
	case "restore":
		return restoreCmd(ctx, args[1:], stdout, stderr)
	}
	return errors.New(tr(ctx, "Unknown command “{{.Command}}”; run 'rapport --help'.", "Command", args[0]))
}
