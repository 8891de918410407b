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
	"strings"
	"time"

	"nscl/demo"
	"nscl/web"
)

func runServe(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "địa chỉ lắng nghe (listen address)")
	withDemo := fs.Bool("demo", false, "nạp dữ liệu mẫu trước khi chạy (load the demo first)")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	secure := fs.Bool("secure-cookies", os.Getenv("NSCL_SECURE_COOKIES") == "1", "đánh dấu cookie Secure và gửi HSTS khi chạy sau proxy HTTPS (behind a TLS-ending proxy)")
	proxies := fs.String("trusted-proxy", os.Getenv("NSCL_TRUSTED_PROXIES"), "CIDR của proxy tin cậy, cách nhau bằng dấu phẩy; chỉ tin X-Forwarded-For khi yêu cầu đến từ chúng (trusted reverse proxies, CIDR[,CIDR…]: X-Forwarded-For is read only from these)")
	if err := parse(fs, args); err != nil {
		return err
	}
	trusted, err := parsePrefixes(*proxies)
	if err != nil {
		return err
	}
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
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	srv := &http.Server{
		Handler:           (&web.Server{Store: st, Programme: *programme, Log: logger, SecureCookies: *secure, TrustedProxies: trusted}).Handler(),
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
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
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
