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
)

// backupCmd makes a consistent copy of the embedded SQLite database while
// the server may be serving: SQLite's VACUUM INTO reads one snapshot.
func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	file, rest := fileArg(args)
	cfg, err := parse("backup", "backup FILE", rest, stderr, nil)
	if err != nil {
		return err
	}
	if file == "" {
		return errors.New("usage: rapport backup FILE")
	}
	if cfg.DatabaseURL != "" {
		return errors.New("rapport backup copies the embedded SQLite database; for PostgreSQL use pg_dump (README, Operations)")
	}
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("%s exists; choose a new file", file)
	}
	d, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	if d.Dialect != dialect.SQLite {
		return errors.New("rapport backup copies the embedded SQLite database only")
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	if _, err := d.SQL.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		return fmt.Errorf("back up to %s: %w", file, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up the database to %s (%d bytes). The search index is not in it: it is rebuilt after a restore.\n", file, st.Size())
	return nil
}

// restoreCmd puts a backup in place of the embedded SQLite database (the
// server must be stopped) and removes the search index, which the next
// `rapport serve` rebuilds from the restored database.
func restoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	file, rest := fileArg(args)
	cfg, err := parse("restore", "restore FILE", rest, stderr, nil)
	if err != nil {
		return err
	}
	if file == "" {
		return errors.New("usage: rapport restore FILE")
	}
	if cfg.DatabaseURL != "" {
		return errors.New("rapport restore is for the embedded SQLite database; for PostgreSQL use pg_restore (README, Operations)")
	}
	if err := checkBackup(ctx, file); err != nil {
		return err
	}
	unlock, err := lockDataDir(cfg.DataDir)
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
		return fmt.Errorf("put the backup in place: %w", err)
	}
	if err := dropIndex(filepath.Join(cfg.DataDir, "index")); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Restored %s into %s. The search index was removed; `rapport serve` rebuilds it at start.\n", file, target)
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
		return fmt.Errorf("backup %s: %w", file, err)
	}
	b, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		return err
	}
	defer b.Close()
	var ok string
	if err := b.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		return fmt.Errorf("%s is not a sound SQLite database (%v %s)", file, err, ok)
	}
	var n int
	if err := b.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n == 0 {
		return fmt.Errorf("%s is not a Rapport database", file)
	}
	return nil
}

// lockDataDir takes the serving lock of the data directory's index, so a
// restore cannot run under a live server.
func lockDataDir(dir string) (func(), error) {
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
		return nil, errors.New("a Rapport server is running on this data directory; stop it before restoring")
	}
	return func() { f.Close() }, nil
}

// dropIndex removes the index's generations and pointer (not its lock).
func dropIndex(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == "serve.lock" {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("remove the old search index: %w", err)
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
