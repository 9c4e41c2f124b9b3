package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/locale"
)

// backupCmd makes a consistent copy of the embedded SQLite database while
// the server may be serving: SQLite's VACUUM INTO reads one snapshot.
func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	file, rest := fileArg(args)
	cfg, err := parse(ctx, "backup", "backup FILE", rest, stderr, nil)
	if err != nil {
		return err
	}
	if file == "" {
		return usageError(ctx, "backup FILE")
	}
	if cfg.DatabaseURL != "" {
		return errors.New(tr(ctx, "rapport backup copies the embedded SQLite database; for PostgreSQL use pg_dump (README, Operations)."))
	}
	if _, err := os.Stat(file); err == nil {
		return errors.New(tr(ctx, "{{.File}} exists; choose a new file.", "File", file))
	}
	d, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	if d.Dialect != dialect.SQLite {
		return errors.New(tr(ctx, "rapport backup copies the embedded SQLite database only."))
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	if _, err := d.SQL.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		return fmt.Errorf("%s: %w", tr(ctx, "Cannot back up to {{.File}}", "File", file), err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, tr(ctx, "Backed up the database to {{.File}} ({{.Bytes}} bytes). The search index is not in it: it is rebuilt after a restore.",
		"File", file, "Bytes", locale.Number(ctx, st.Size())))
	return nil
}

// restoreCmd puts a backup in place of the embedded SQLite database (the
// server must be stopped) and removes the search index, which the next
// `rapport serve` rebuilds from the restored database.
func restoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	file, rest := fileArg(args)
	cfg, err := parse(ctx, "restore", "restore FILE", rest, stderr, nil)
	if err != nil {
		return err
	}
	if file == "" {
		return usageError(ctx, "restore FILE")
	}
	if cfg.DatabaseURL != "" {
		return errors.New(tr(ctx, "rapport restore is for the embedded SQLite database; for PostgreSQL use pg_restore (README, Operations)."))
	}
	if err := checkBackup(ctx, file); err != nil {
		return err
	}
	unlock, err := lockDataDir(ctx, cfg.DataDir)
	if err != nil {
		return err
	}
	defer unlock()
	target := filepath.Join(cfg.DataDir, "rapport.db")
	tmp := target + ".restoring"
	if err := copyFile(file, tmp); err != nil {
		return err
	}
	for _, side := range []string{"-wal", "-shm"} {
		if err := os.Remove(target + side); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("%s: %w", tr(ctx, "Cannot put the backup in place"), err)
	}
	if err := dropIndex(ctx, filepath.Join(cfg.DataDir, "index")); err != nil {
		return err
	}
	fmt.Fprintln(stdout, tr(ctx, "Restored {{.File}} into {{.Target}}. The search index was removed; `rapport serve` rebuilds it at start.", "File", file, "Target", target))
	return nil
}

// fileArg takes the first argument that is not a flag as the file.
func fileArg(args []string) (string, []string) {
	for i, a := range args {
		if !strings.HasPrefix(a, "-") && (i == 0 || !strings.HasPrefix(args[i-1], "--") || strings.Contains(args[i-1], "=")) {
			return a, append(append([]string{}, args[:i]...), args[i+1:]...)
		}
	}
	return "", args
}

// checkBackup opens file as SQLite and checks it is whole and Rapport's.
func checkBackup(ctx context.Context, file string) error {
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("%s: %w", tr(ctx, "Cannot read the backup {{.File}}", "File", file), err)
	}
	b, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		return err
	}
	defer b.Close()
	var ok string
	if err := b.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		return errors.New(tr(ctx, "{{.File}} is not a sound SQLite database ({{.Detail}}).", "File", file, "Detail", strings.TrimSpace(fmt.Sprint(err, " ", ok))))
	}
	var n int
	if err := b.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n == 0 {
		return errors.New(tr(ctx, "{{.File}} is not a Rapport database.", "File", file))
	}
	return nil
}

// lockDataDir takes the serving lock of the data directory's index, so a
// restore cannot run under a live server.
func lockDataDir(ctx context.Context, dir string) (func(), error) {
	idx := filepath.Join(dir, "index")
	if err := os.MkdirAll(idx, 0o750); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(idx, "serve.lock"), os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, errors.New(tr(ctx, "A Rapport server is running on this data directory; stop it before restoring."))
	}
	return func() { f.Close() }, nil
}

// dropIndex removes the index's generations and pointer (not its lock).
func dropIndex(ctx context.Context, dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == "serve.lock" {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("%s: %w", tr(ctx, "Cannot remove the old search index"), err)
		}
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
