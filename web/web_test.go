package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"nscl/demo"
	"nscl/report"
	"nscl/store"
)

func demoServer(t *testing.T) (*httptest.Server, *store.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&Server{Store: st, Programme: demo.ProgrammeCode, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler())
	t.Cleanup(srv.Close)
	return srv, st
}

func get(t *testing.T, url string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
}

func TestRoutes(t *testing.T) {
	srv, st := demoServer(t)
	var want bytes.Buffer
	rep, err := report.Build(context.Background(), st, report.Request{Programme: demo.ProgrammeCode, Year: 2022})
	if err != nil {
		t.Fatal(err)
	}
	report.WriteJSON(&want, rep)

	cases := []struct {
		path, contentType string
		status            int
		contains          []string
	}{
		{"/healthz", "text/plain", 200, []string{"ok"}},
		{"/", "text/html", 200, []string{"Kết quả thực hiện năm 2022", "10.000 lượt doanh nghiệp", "9,93 %", "173,5 %", "47,33 %", "16.192 học viên"}},
		{"/?year=2021", "text/html", 200, []string{"Kết quả năm 2021", "30 lượt doanh nghiệp", "0,3 %"}},
		{"/?year=2022&unit=HCM-THUDUC", "text/html", 200, []string{"Thủ Đức", "200 doanh nghiệp"}},
		{"/?year=hai", "text/html", 400, []string{"không hợp lệ"}},
		{"/?year=2022&unit=NOWHERE", "text/html", 404, []string{"NOWHERE"}},
		{"/api/v1/reports/2022", "application/json", 200, []string{strings.TrimSpace(want.String())}},
		{"/api/v1/reports/hai", "application/json", 400, []string{`"field":"year"`, `"code":"invalid"`}},
		{"/api/v1/reports/2040", "application/json", 400, []string{`"field":"year"`}},
		{"/nowhere", "text/plain", 404, nil},
	}
	for _, c := range cases {
		status, ct, body := get(t, srv.URL+c.path)
		if status != c.status || !strings.HasPrefix(ct, c.contentType) {
			t.Errorf("GET %s: %d %s, want %d %s\n%s", c.path, status, ct, c.status, c.contentType, body)
			continue
		}
		for _, s := range c.contains {
			if !strings.Contains(body, s) {
				t.Errorf("GET %s: body lacks %q", c.path, s)
			}
		}
	}
}

func TestErrorsAreJSONWithField(t *testing.T) {
	srv, _ := demoServer(t)
	resp, err := http.Get(srv.URL + "/api/v1/reports/1999")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Error struct{ Code, Message, Field string } `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 400 || body.Error.Code != "invalid" || body.Error.Field != "year" || !strings.Contains(body.Error.Message, "1999") {
		t.Errorf("got %d %+v", resp.StatusCode, body)
	}
}
