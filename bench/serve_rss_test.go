package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent/user"
)

// BenchmarkServeRSS is workload 7 with the server in a process of its own:
// it builds `rapport serve`, starts it on the benchmark database with an
// empty data directory (so the server builds its search index at start, the
// peak), signs in, runs the contact list ladder from this process (the load
// generator) and reads the server's VmRSS and VmHWM from /proc. It reports
// rss-MB (after the workload), peak-rss-MB and the list's max-rps-p99<=50ms
// as served by the real binary. Run with -benchtime 1x.
func BenchmarkServeRSS(b *testing.B) {
	Dataset(b)
	ctx := context.Background()
	d, err := openDatasetDB(ctx)
	if err != nil {
		b.Fatal(err)
	}
	err = ensureBenchUser(ctx, d)
	d.Close()
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "rapport")
	build := exec.Command("go", "build", "-o", bin, "../cmd/rapport")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		b.Fatalf("build rapport: %v", err)
	}
	for b.Loop() {
		srv := exec.Command(bin, "serve")
		srv.Env = append(os.Environ(), "RAPPORT_DATABASE_URL="+datasetURL(), "RAPPORT_DATA_DIR="+filepath.Join(dir, "data"),
			"RAPPORT_ADDR=127.0.0.1:0", "RAPPORT_LOG_FORMAT=json", "RAPPORT_LANG=en") // serverAddress reads the English line
		srv.Stderr = nil // the request log, discarded as in BenchmarkHTTP
		out, err := srv.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := srv.Start(); err != nil {
			b.Fatal(err)
		}
		stop := func() {
			_ = srv.Process.Signal(syscall.SIGINT)
			done := make(chan struct{})
			go func() { _ = srv.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				_ = srv.Process.Kill()
				<-done
			}
		}
		base, err := serverAddress(out, 15*time.Minute)
		if err != nil {
			stop()
			b.Fatal(err)
		}
		peaks := rssPeaks(strconv.Itoa(srv.Process.Pid))
		b.Logf("rapport serve (pid %d) ready in %s, RSS %d MB, peak %d MB", srv.Process.Pid, time.Since(start).Round(time.Millisecond),
			procKB(strconv.Itoa(srv.Process.Pid), "VmRSS")/1024, procKB(strconv.Itoa(srv.Process.Pid), "VmHWM")/1024)
		// The server serves while it builds its index in the background
		// (issue 19, item 5): the build's peak is read once it is done.
		built, err := waitIndexBuilt(base, 30*time.Minute)
		if err != nil {
			stop()
			b.Fatal(err)
		}
		anonMB, fileMB := peaks()
		b.Logf("search index built in the background after %s, peak %d MB (anonymous %.0f MB, file-backed %.0f MB at their highest)",
			built.Round(time.Second), procKB(strconv.Itoa(srv.Process.Pid), "VmHWM")/1024, anonMB, fileMB)
		cookies, err := signIn(base, httpUser, httpPassword)
		if err != nil {
			stop()
			b.Fatal(err)
		}
		best, _ := maxRate(b, []vegeta.Target{{Method: http.MethodGet, URL: base + "/contacts", Header: http.Header{"Cookie": {cookies}}}})
		pid := strconv.Itoa(srv.Process.Pid)
		rss, peak := procKB(pid, "VmRSS"), procKB(pid, "VmHWM")
		stop()
		b.ReportMetric(float64(best.rate), "max-rps-p99<=50ms")
		b.ReportMetric(float64(rss)/1024, "rss-MB")
		b.ReportMetric(float64(peak)/1024, "peak-rss-MB")
		b.ReportMetric(anonMB, "peak-anon-MB")
		b.ReportMetric(fileMB, "peak-file-MB")
	}
}

// waitIndexBuilt polls /readyz until the index is no longer "building"
// and says how long that took.
func waitIndexBuilt(base string, wait time.Duration) (time.Duration, error) {
	start := time.Now()
	for time.Since(start) < wait {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			var body strings.Builder
			_, _ = io.Copy(&body, res.Body)
			res.Body.Close()
			if !strings.Contains(body.String(), `"building"`) {
				return time.Since(start), nil
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	return 0, fmt.Errorf("search index not built within %s", wait)
}

// serverAddress reads `rapport serve`'s stdout up to its "serving on" line.
func serverAddress(out interface{ Read([]byte) (int, error) }, wait time.Duration) (string, error) {
	found := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(out)
		sent := false
		for s.Scan() {
			if _, rest, ok := strings.Cut(s.Text(), "serving on "); ok && !sent {
				found <- strings.Fields(rest)[0]
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	select {
	case u, ok := <-found:
		if !ok {
			return "", fmt.Errorf("rapport serve exited before serving")
		}
		return u, nil
	case <-time.After(wait):
		return "", fmt.Errorf("rapport serve did not start within %s", wait)
	}
}

// ensureBenchUser creates the staff member the HTTP workloads sign in as.
func ensureBenchUser(ctx context.Context, d *db.DB) error {
	ok, err := d.Client.User.Query().Where(user.Email(httpUser)).Exist(ctx)
	if err != nil || ok {
		return err
	}
	_, err = crm.CreateUser(ctx, d.Client, crm.UserInput{Email: httpUser, Name: "Bench HTTP", Role: "staff", Password: httpPassword})
	return err
}

// benchToken is a new read-scope API token of the benchmark user, as an
// Authorization header.
func benchToken(ctx context.Context, d *db.DB) (string, error) {
	u, err := d.Client.User.Query().Where(user.Email(httpUser)).Only(ctx)
	if err != nil {
		return "", err
	}
	tok, _, err := crm.NewAPITokens(d.Client, nil).Create(ctx, u.ID, crm.TokenInput{Name: "bench-http", Scope: crm.ScopeRead})
	if err != nil {
		return "", err
	}
	return "Bearer " + tok, nil
}
