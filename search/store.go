package search

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Store is the directory that holds the search index:
//
//	CURRENT          the name of the live generation, replaced atomically (rename)
//	gen-000007/      a bleve index, one per build
//	aside-…/         a generation that was broken or of an old mapping, kept for inspection
//	serve.lock       held (flock) by the one process that serves and updates the index
//	build.lock       held by the one process that builds a new generation
//
// A build writes a new generation next to the live one and then points
// CURRENT at it; the serving process notices and switches over without
// downtime. Nothing else writes to a generation.
type Store struct{ Dir string }

// ErrLocked is returned when another process holds a lock of the store.
var ErrLocked = errors.New("search index is in use by another process")

const (
	currentFile = "CURRENT"
	genPrefix   = "gen-"
	asidePrefix = "aside-"
	serveLock   = "serve.lock"
	buildLock   = "build.lock"
)

// lock takes the named lock file without waiting: another holder makes it
// fail at once with ErrLocked. Closing the file releases the lock, as does
// the end of the process.
func (s Store) lock(name string) (*os.File, error) {
	if err := os.MkdirAll(s.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("create search index directory: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(s.Dir, name), os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("open search lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s is locked; is another Rapport server running with the same data directory? "+
				"Give each server its own RAPPORT_DATA_DIR", ErrLocked, filepath.Join(s.Dir, name))
		}
		return nil, fmt.Errorf("lock %s: %w", filepath.Join(s.Dir, name), err)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	return f, nil
}

// Current returns the name of the live generation, or "" when there is none.
func (s Store) Current() (string, error) {
	b, err := os.ReadFile(filepath.Join(s.Dir, currentFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read search index pointer: %w", err)
	}
	name := strings.TrimSpace(string(b))
	if !strings.HasPrefix(name, genPrefix) || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("search index pointer %s names %q, not a generation", filepath.Join(s.Dir, currentFile), name)
	}
	return name, nil
}

// setCurrent points CURRENT at generation name: write a temporary file,
// sync it, rename it over CURRENT and sync the directory, so that a crash
// leaves either the old or the new pointer.
func (s Store) setCurrent(name string) error {
	tmp := filepath.Join(s.Dir, currentFile+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return fmt.Errorf("write search index pointer: %w", err)
	}
	_, err = f.WriteString(name + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(s.Dir, currentFile))
	}
	if err != nil {
		return fmt.Errorf("write search index pointer: %w", err)
	}
	return syncDir(s.Dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// Path is the directory of generation name.
func (s Store) Path(name string) string { return filepath.Join(s.Dir, name) }

// generations lists the generation directories, oldest first.
func (s Store) generations() ([]string, error) {
	entries, err := os.ReadDir(s.Dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("list search index generations: %w", err)
	}
	var gens []string
	for _, e := range entries {
		if e.IsDir() && isGeneration(e.Name()) {
			gens = append(gens, e.Name())
		}
	}
	sort.Strings(gens)
	return gens, nil
}

// isGeneration reports whether name is a generation directory: gen- and
// digits only (not a build's scratch directory, gen-NNNNNN.build).
func isGeneration(name string) bool {
	digits, ok := strings.CutPrefix(name, genPrefix)
	if !ok || digits == "" {
		return false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// newGeneration creates the directory of a generation after every existing
// one and returns its name: a build only ever writes into (and on failure
// removes) a directory it created.
func (s Store) newGeneration() (string, error) {
	gens, err := s.generations()
	if err != nil {
		return "", err
	}
	n := 0
	if len(gens) > 0 {
		if n, err = strconv.Atoi(strings.TrimPrefix(gens[len(gens)-1], genPrefix)); err != nil {
			return "", fmt.Errorf("search index generation %s: %w", gens[len(gens)-1], err)
		}
	}
	name := fmt.Sprintf("%s%06d", genPrefix, n+1)
	if err := os.MkdirAll(s.Dir, 0o750); err != nil {
		return "", fmt.Errorf("create search index directory: %w", err)
	}
	if err := os.Mkdir(s.Path(name), 0o750); err != nil {
		return "", fmt.Errorf("create search index generation: %w", err)
	}
	return name, nil
}

// moveAside renames generation name out of the way, keeping it for
// inspection, and returns where it went. Older asides are removed, so only
// the latest is kept.
func (s Store) moveAside(name, why string) (string, error) {
	entries, _ := os.ReadDir(s.Dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), asidePrefix) {
			_ = os.RemoveAll(filepath.Join(s.Dir, e.Name()))
		}
	}
	to := fmt.Sprintf("%s%s-%s-%s", asidePrefix, name, why, time.Now().UTC().Format("20060102T150405"))
	if err := os.Rename(s.Path(name), s.Path(to)); err != nil {
		return "", fmt.Errorf("move search index %s aside: %w", name, err)
	}
	return to, nil
}

// removeOthers deletes the generations other than keep. It must only run
// while holding build.lock, so that no build is writing one of them.
func (s Store) removeOthers(keep string) error {
	gens, err := s.generations()
	if err != nil {
		return err
	}
	for _, g := range gens {
		if g != keep {
			if err := os.RemoveAll(s.Path(g)); err != nil {
				return fmt.Errorf("remove old search index %s: %w", g, err)
			}
		}
	}
	_ = os.Remove(filepath.Join(s.Dir, currentFile+".tmp"))
	return nil
}
