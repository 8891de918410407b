package store

import (
	"context"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"nscl"
)

// scripts/sqlite-to-postgres.sh copies a database with the portal's
// tables: a file's bytes (every byte value, quotes, line breaks, NULs)
// arrive in PostgreSQL's bytea as they were, and a post's text over lines
// as it was. Needs sqlite3, psql and PostgreSQL.
func TestCopyScriptCarriesThePortal(t *testing.T) {
	base := os.Getenv(postgresEnv)
	if base == "" {
		t.Skip(postgresEnv + " not set")
	}
	for _, tool := range []string{"sqlite3", "psql", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip(tool + " not installed")
		}
	}
	ctx := context.Background()
	src := filepath.Join(t.TempDir(), "nguon.db")
	sqlite := openStore(t, src)
	f := newPostFixture(t, sqlite, &nscl.PortalCounting{CommunicationGroup: "b", ArticleMetric: "tin"})
	file, data, _ := storeFile(t, sqlite, f, 3*FileChunk+5)
	article := nscl.Post{UnitID: f.district.ID, Kind: nscl.PostArticle, Title: "Tin “thử” của huyện", Body: "Dòng một\r\nDòng 'hai'\n\nĐoạn hai",
		PublishedOn: day("2027-03-04"), State: nscl.PostPublished}
	if err := sqlite.Update(ctx, func(tx *Tx) error { return tx.CreatePost(ctx, f.prog, &article, nil) }); err != nil {
		t.Fatal(err)
	}
	sqlite.Close()

	dsn := postgresSchema(t, base)
	u, _ := url.Parse(dsn)
	openStore(t, dsn).Close() // the schema's tables, empty
	out, err := exec.Command("bash", filepath.Join("..", "scripts", "sqlite-to-postgres.sh"), src, base, u.Query().Get("search_path")).CombinedOutput()
	if err != nil {
		t.Fatalf("the script: %v\n%s", err, out)
	}
	pg := openStore(t, dsn)
	copied, _, err := pg.PostFile(ctx, f.prog, file.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(pg.FileContent(ctx, copied))
	if err != nil || string(got) != string(data) || copied != file {
		t.Errorf("the file in PostgreSQL: %d bytes of %d, %+v, %v", len(got), len(data), copied, err)
	}
	post, err := pg.Post(ctx, f.prog, article.ID)
	if err != nil || post.Body != article.Body || post.Title != article.Title {
		t.Errorf("the article in PostgreSQL: %q, %v", post.Body, err)
	}
}
