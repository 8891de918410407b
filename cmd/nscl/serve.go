package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"nscl/demo"
	"nscl/store"
	"nscl/web"
)

func runServe(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "địa chỉ lắng nghe (listen address)")
	withDemo := fs.Bool("demo", false, "nạp dữ liệu mẫu trước khi chạy (load the demo first)")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	secure := fs.Bool("secure-cookies", os.Getenv("NSCL_SECURE_COOKIES") == "1", "đánh dấu cookie Secure và gửi HSTS khi chạy sau proxy HTTPS (behind a TLS-ending proxy)")
	proxies := fs.String("trusted-proxy", os.Getenv("NSCL_TRUSTED_PROXIES"), "CIDR của proxy tin cậy, cách nhau bằng dấu phẩy; chỉ tin X-Forwarded-For khi yêu cầu đến từ chúng (trusted reverse proxies, CIDR[,CIDR…]: X-Forwarded-For is read only from these)")
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	backups := keptBackups{log: logger}
	fs.StringVar(&backups.dir, "backup-dir", "", "thư mục giữ các bản sao lưu định kỳ (folder for rotating backups; none without it)")
	fs.DurationVar(&backups.every, "backup-every", 24*time.Hour, "khoảng cách giữa hai lần sao lưu (time between backups)")
	fs.IntVar(&backups.keep, "backup-keep", 7, "số bản sao lưu giữ lại, bản cũ nhất bị xóa (how many backups to keep; the oldest go)")
	if err := parse(fs, args); err != nil {
		return err
	}
	defer serverGC()()
	trusted, err := parsePrefixes(*proxies)
	if err != nil {
		return err
	}
	if backups.dir != "" {
		if err := backups.check(); err != nil {
			return err
		}
	}
	// Marked before it is opened, so that a restore cannot replace the
	// database under the server, nor the server migrate one being restored.
	release, err := store.MarkInUse(ctx, *db)
	if err != nil {
		return err
	}
	defer release()
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if *withDemo {
		if err := loadDemo(ctx, st, stdout); err != nil {
			return err
		}
	}
	if backups.dir != "" {
		// A backup under way is stopped and waited for before the server
		// lets go of the database.
		var wg sync.WaitGroup
		backupCtx, stopBackups := context.WithCancel(ctx)
		defer wg.Wait()
		defer stopBackups()
		backups.run(backupCtx, *db, &wg)
	}
	app := &web.Server{Store: st, Programme: *programme, Log: logger, SecureCookies: *secure, TrustedProxies: trusted}
	srv := &http.Server{
		Handler:           app.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads of a few MiB on a slow district line
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "nscl đang chạy tại http://%s/ (Ctrl+C để dừng) — serving on http://%s/\n", ln.Addr(), ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// The portal's views are written every few seconds, and what is left
	// once the server has stopped taking requests.
	go app.CountViews(ctx, web.ViewFlushInterval)
	defer func() {
		if err := app.FlushViews(context.Background()); err != nil {
			logger.Error("write views", "err", err)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdown)
	app.Wait() // pages being built for no request read the store, which closes after
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// serverGCPercent is the collector's pace for the server (GOGC), unless
// the environment sets GOGC. The server's live heap is small (the trees,
// pages and frames it keeps) and its answers allocate fast: at Go's 100
// the collector ran many times a second under the national load and took
// a twelfth of the processors. At 400 the heap may grow to five times
// what is live instead of twice (docs/performance.md, "The collector's
// pace and the sign-ins kept for a moment").
const serverGCPercent = 400

// serverGC sets the server's collector pace and returns what sets the
// one before back.
func serverGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	before := debug.SetGCPercent(serverGCPercent)
	return func() { debug.SetGCPercent(before) }
}

// parsePrefixes reads --trusted-proxy: CIDRs separated by commas. A bare
// address stands for itself, as one proxy usually is one host.
func parsePrefixes(list string) ([]netip.Prefix, error) {
	var prefixes []netip.Prefix
	for _, part := range strings.Split(list, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			a, aerr := netip.ParseAddr(part)
			if aerr != nil {
				return nil, usageError{fmt.Sprintf("--trusted-proxy (NSCL_TRUSTED_PROXIES): %q không phải CIDR như 10.0.0.0/8 (%q is not a CIDR such as 10.0.0.0/8)", part, part)}
			}
			a = a.Unmap().WithZone("") // as the server compares addresses
			p = netip.PrefixFrom(a, a.BitLen())
		}
		prefixes = append(prefixes, p)
	}
	return prefixes, nil
}
