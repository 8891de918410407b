package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"nscl"
)

// FileUpload is a file sent with a post, before its content is checked.
type FileUpload struct {
	Name string
	Data []byte
}

// PostItem is a post with the description of its file (zero when it has none).
type PostItem struct {
	nscl.Post
	File nscl.StoredFile
}

// CreatePost checks and stores a post of the programme with its file
// (nil for none) and, when it is published, the activity it counts as, in
// the same transaction; it sets the post's ID, version and activity.
// Returns EINVALID naming the field (the file's content included),
// ENOTFOUND for an unknown unit, EFORBIDDEN for a user who may not write
// the unit's posts or the activity's period (a round's lock).
func (tx *Tx) CreatePost(ctx context.Context, prog *nscl.Programme, p *nscl.Post, file *FileUpload) error {
	p.ProgrammeID, p.ActivityID, p.Views, p.Downloads = prog.ID, 0, 0, 0
	if err := tx.mayWritePosts(ctx, p.UnitID); err != nil {
		return err
	}
	if err := tx.attachFile(ctx, prog, p, file); err != nil {
		return err
	}
	if err := tx.checkPost(ctx, prog, p); err != nil {
		return err
	}
	stamp := stampOf(tx.now)
	id, err := tx.insert(ctx, `INSERT INTO posts (programme_id, unit_id, kind, title, topic, topic_key, summary, body, video_url, file_id, published_on, state, search_text, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		prog.ID, p.UnitID, string(p.Kind), p.Title, p.Topic, nscl.SearchKey(p.Topic), p.Summary, p.Body, p.VideoURL, nullID(p.FileID),
		formatDate(p.PublishedOn), string(p.State), postSearchText(p), stamp, stamp)
	if err != nil {
		return fmt.Errorf("store: unable to create post: %w", err)
	}
	p.ID, p.Version = id, 1
	if err := tx.followPost(ctx, prog, nil, p); err != nil {
		return err
	}
	return tx.audit(ctx, "create", "post", p.ID, nil, p)
}

// UpdatePost saves a post — its text, date, state and, when file is not
// nil, a new file in place of the old — provided p.Version is still the
// stored one, and keeps its activity in step: written when it is
// published, changed (unit, date, title) while it stays published,
// deleted when it is taken back to draft, so that the totals move by
// exactly what the post counts. Returns what CreatePost does, ENOTFOUND
// for an unknown post and ECONFLICT when someone saved it since.
func (tx *Tx) UpdatePost(ctx context.Context, prog *nscl.Programme, p *nscl.Post, file *FileUpload) error {
	before, err := tx.claimPost(ctx, prog, p.ID, p.Version)
	if err != nil {
		return err
	}
	for _, unit := range []int64{before.UnitID, p.UnitID} {
		if err := tx.mayWritePosts(ctx, unit); err != nil {
			return err
		}
	}
	p.ProgrammeID, p.ActivityID, p.Views, p.Downloads = prog.ID, before.ActivityID, before.Views, before.Downloads
	// A post keeps its file until another replaces it; no form names
	// another post's file.
	p.FileID = before.FileID
	if err := tx.attachFile(ctx, prog, p, file); err != nil {
		return err
	}
	if err := tx.checkPost(ctx, prog, p); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE posts SET unit_id = ?, kind = ?, title = ?, topic = ?, topic_key = ?, summary = ?, body = ?, video_url = ?, file_id = ?,
		published_on = ?, state = ?, search_text = ? WHERE id = ?`,
		p.UnitID, string(p.Kind), p.Title, p.Topic, nscl.SearchKey(p.Topic), p.Summary, p.Body, p.VideoURL, nullID(p.FileID),
		formatDate(p.PublishedOn), string(p.State), postSearchText(p), p.ID); err != nil {
		return fmt.Errorf("store: unable to update post: %w", err)
	}
	p.Version = before.Version + 1
	if before.FileID != 0 && before.FileID != p.FileID {
		if err := tx.deleteFile(ctx, before.FileID); err != nil {
			return err
		}
	}
	if err := tx.followPost(ctx, prog, &before, p); err != nil {
		return err
	}
	return tx.audit(ctx, "update", "post", p.ID, before, p)
}

// SetPostState publishes a post (state published) or takes it back to
// draft, as UpdatePost does, provided version is still the stored one.
// Publishing a post without a date publishes it today (in Vietnam).
func (tx *Tx) SetPostState(ctx context.Context, prog *nscl.Programme, id, version int64, state nscl.PostState) (nscl.Post, error) {
	stored, err := postByID(ctx, tx.conn, id)
	if err != nil {
		return nscl.Post{}, err
	}
	if stored.ProgrammeID != prog.ID {
		return nscl.Post{}, postNotFound(id)
	}
	p := stored.Post
	p.Version, p.State = version, state
	if state == nscl.PostPublished && p.PublishedOn.IsZero() {
		now := tx.now.In(nscl.Local)
		p.PublishedOn = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	}
	return p, tx.UpdatePost(ctx, prog, &p, nil)
}

// DeletePost deletes a post, its file and its activity (so the totals go
// back by what it counted), provided version is still the stored one.
// Returns ENOTFOUND, ECONFLICT, or EFORBIDDEN as UpdatePost.
func (tx *Tx) DeletePost(ctx context.Context, prog *nscl.Programme, id, version int64) error {
	before, err := tx.claimPost(ctx, prog, id, version)
	if err != nil {
		return err
	}
	if err := tx.mayWritePosts(ctx, before.UnitID); err != nil {
		return err
	}
	if err := tx.dropActivity(ctx, prog, &before); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM posts WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: unable to delete post: %w", err)
	}
	if before.FileID != 0 {
		if err := tx.deleteFile(ctx, before.FileID); err != nil {
			return err
		}
	}
	before.Version--
	return tx.audit(ctx, "delete", "post", id, before, nil)
}

// followPost keeps the post's activity in step with it, after the post is
// written: see UpdatePost. before is nil for a new post.
func (tx *Tx) followPost(ctx context.Context, prog *nscl.Programme, before, p *nscl.Post) error {
	if !p.Published() {
		return tx.dropActivity(ctx, prog, p)
	}
	if p.ActivityID != 0 {
		stored, err := activityByID(ctx, tx.conn, p.ActivityID)
		if err != nil {
			return err
		}
		a := stored
		if before != nil && before.Kind != p.Kind {
			// Another kind counts in another metric: as published now.
			pc, err := tx.PortalCounting(ctx, prog)
			if err != nil {
				return err
			}
			a = p.Activity(pc)
			a.TaskGroup = stored.TaskGroup
		} else {
			// The group and figures stay those it was published with:
			// a later change of the portal's counting does not move them.
			fresh := p.Activity(nscl.PortalCounting{})
			a.UnitID, a.Date, a.Kind, a.Description, a.Source = fresh.UnitID, fresh.Date, fresh.Kind, fresh.Description, fresh.Source
		}
		a.ID, a.Version = stored.ID, stored.Version
		return tx.asPortal(func() error { return tx.UpdateActivity(ctx, prog, &a) })
	}
	pc, err := tx.PortalCounting(ctx, prog)
	if err != nil {
		return err
	}
	if err := nscl.RequirePublishing(pc); err != nil {
		return err
	}
	a := p.Activity(pc)
	if err := tx.asPortal(func() error { return tx.CreateActivity(ctx, prog, &a) }); err != nil {
		return err
	}
	p.ActivityID = a.ID
	if _, err := tx.exec(ctx, `UPDATE posts SET activity_id = ? WHERE id = ?`, a.ID, p.ID); err != nil {
		return fmt.Errorf("store: unable to link post to its activity: %w", err)
	}
	return nil
}

// dropActivity deletes the activity a post counted as, if any.
func (tx *Tx) dropActivity(ctx context.Context, prog *nscl.Programme, p *nscl.Post) error {
	if p.ActivityID == 0 {
		return nil
	}
	if _, err := tx.exec(ctx, `UPDATE posts SET activity_id = NULL WHERE id = ?`, p.ID); err != nil {
		return fmt.Errorf("store: unable to unlink post from its activity: %w", err)
	}
	stored, err := activityByID(ctx, tx.conn, p.ActivityID)
	if err != nil {
		return err
	}
	if err := tx.asPortal(func() error { return tx.DeleteActivity(ctx, prog, stored.ID, stored.Version) }); err != nil {
		return err
	}
	p.ActivityID = 0
	return nil
}

// mayWritePosts refuses a user who may not write the unit's posts; writes
// with no user behind them (the command line, the demo) are an operator's.
func (tx *Tx) mayWritePosts(ctx context.Context, unitID int64) error {
	if tx.actor == 0 {
		return nil
	}
	u, err := tx.actorUser(ctx)
	if err != nil {
		return err
	}
	return u.RequirePostWriting(unitID)
}

// checkPost normalises and checks a post, and that its unit exists.
func (tx *Tx) checkPost(ctx context.Context, prog *nscl.Programme, p *nscl.Post) error {
	p.Normalize()
	if err := nscl.ValidatePost(p, prog); err != nil {
		return err
	}
	_, err := unitByID(ctx, tx.conn, p.UnitID)
	return err
}

// attachFile checks and stores an uploaded file and makes it the post's.
func (tx *Tx) attachFile(ctx context.Context, prog *nscl.Programme, p *nscl.Post, file *FileUpload) error {
	if file == nil {
		return nil
	}
	f, err := nscl.CheckUpload("file", file.Name, file.Data)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(file.Data)
	f.SHA256 = hex.EncodeToString(sum[:])
	if f.ID, err = tx.insert(ctx, `INSERT INTO portal_files (programme_id, name, content_type, size, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		prog.ID, f.Name, f.ContentType, f.Size, f.SHA256, stampOf(tx.now)); err != nil {
		return fmt.Errorf("store: unable to store file: %w", err)
	}
	// In chunks, each a download's read (FileContent).
	for n, chunk := range slices.Collect(slices.Chunk(file.Data, FileChunk)) {
		if _, err := tx.exec(ctx, `INSERT INTO portal_file_chunks (file_id, n, data) VALUES (?, ?, ?)`, f.ID, n, chunk); err != nil {
			return fmt.Errorf("store: unable to store file: %w", err)
		}
	}
	p.FileID = f.ID
	return tx.audit(ctx, "create", "portal_file", f.ID, nil, f)
}

func (tx *Tx) deleteFile(ctx context.Context, id int64) error {
	f, err := fileByID(ctx, tx.conn, id)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM portal_file_chunks WHERE file_id = ?`, id); err != nil {
		return fmt.Errorf("store: unable to delete file: %w", err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM portal_files WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: unable to delete file: %w", err)
	}
	return tx.audit(ctx, "delete", "portal_file", id, f, nil)
}

// claimPost bumps the post's version provided it is still version, and
// returns it as it was (with the version it had): the row is locked before
// anything else is read, as claimActivity does.
func (tx *Tx) claimPost(ctx context.Context, prog *nscl.Programme, id, version int64) (nscl.Post, error) {
	res, err := tx.exec(ctx, `UPDATE posts SET version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND programme_id = ?`,
		stampOf(tx.now), id, version, prog.ID)
	if err != nil {
		return nscl.Post{}, fmt.Errorf("store: unable to claim post: %w", err)
	}
	stored, err := postByID(ctx, tx.conn, id)
	if err == nil && stored.ProgrammeID != prog.ID {
		err = postNotFound(id)
	}
	if err != nil {
		return nscl.Post{}, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nscl.Post{}, nscl.Conflict("version", "tin bài, tài liệu số %d đã được người khác sửa sau khi bạn mở; hãy tải lại trang", "post %d was changed by someone else after you opened it; reload the page", id)
	}
	stored.Version--
	return stored.Post, nil
}

func postNotFound(id int64) error {
	return nscl.NotFound("id", "không có tin bài, tài liệu số %d", "no article or material %d", id)
}

// postSearchText is what the library's search reads: the words of the
// title, topic, summary and text, folded as nscl.SearchKey folds them.
func postSearchText(p *nscl.Post) string {
	return nscl.SearchKey(p.Title + " " + p.Topic + " " + p.Summary + " " + p.Body)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// listBody is how much of a post's text a list reads: enough for an excerpt.
const listBody = 600

// postColumns read a post and its file; body is the full text on a post's
// page, its start in a list.
func postColumns(body string) string {
	return `p.id, p.programme_id, p.unit_id, p.kind, p.title, p.topic, p.summary, ` + body + `, p.video_url, COALESCE(p.file_id, 0), p.published_on, p.state,
	COALESCE(p.activity_id, 0), p.views, p.downloads, p.version, COALESCE(f.name, ''), COALESCE(f.content_type, ''), COALESCE(f.size, 0), COALESCE(f.sha256, '')`
}

const postFrom = ` FROM posts p LEFT JOIN portal_files f ON f.id = p.file_id`

func scanPost(row interface{ Scan(...any) error }) (PostItem, error) {
	var it PostItem
	p := &it.Post
	var kind, state string
	err := row.Scan(&p.ID, &p.ProgrammeID, &p.UnitID, &kind, &p.Title, &p.Topic, &p.Summary, &p.Body, &p.VideoURL, &p.FileID,
		dateValue{&p.PublishedOn}, &state, &p.ActivityID, &p.Views, &p.Downloads, &p.Version,
		&it.File.Name, &it.File.ContentType, &it.File.Size, &it.File.SHA256)
	p.Kind, p.State, it.File.ID = nscl.PostKind(kind), nscl.PostState(state), p.FileID
	return it, err
}

func postByID(ctx context.Context, c conn, id int64) (PostItem, error) {
	it, err := scanPost(c.queryRow(ctx, `SELECT `+postColumns("p.body")+postFrom+` WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return it, postNotFound(id)
	}
	if err != nil {
		return it, fmt.Errorf("store: unable to read post: %w", err)
	}
	return it, nil
}

// Post returns a post of the programme with its file's description, or ENOTFOUND.
func (s *Store) Post(ctx context.Context, prog *nscl.Programme, id int64) (PostItem, error) {
	it, err := postByID(ctx, s.reader(), id)
	if err == nil && it.ProgrammeID != prog.ID {
		err = postNotFound(id)
	}
	return it, err
}

// PostFile returns a file of the programme, described, and the post it
// belongs to, or ENOTFOUND. Its content is read by FileContent, a chunk at
// a time.
func (s *Store) PostFile(ctx context.Context, prog *nscl.Programme, id int64) (nscl.StoredFile, PostItem, error) {
	var f nscl.StoredFile
	var programmeID int64
	err := s.reader().queryRow(ctx, `SELECT id, programme_id, name, content_type, size, sha256 FROM portal_files WHERE id = ?`, id).
		Scan(&f.ID, &programmeID, &f.Name, &f.ContentType, &f.Size, &f.SHA256)
	if errors.Is(err, sql.ErrNoRows) || err == nil && programmeID != prog.ID {
		return f, PostItem{}, nscl.NotFound("file", "không có tệp số %d", "no file %d", id)
	}
	if err != nil {
		return f, PostItem{}, fmt.Errorf("store: unable to read file: %w", err)
	}
	it, err := scanPost(s.reader().queryRow(ctx, `SELECT `+postColumns("''")+postFrom+` WHERE p.file_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, PostItem{}, nscl.NotFound("file", "không có tệp số %d", "no file %d", id)
	}
	return f, it, err
}

// FileChunk is how much of a file one row of portal_file_chunks holds
// (migration 00032 cuts files at the same size), and so one read of the
// database returns: a download holds about this much of it at a time,
// however large the file.
const FileChunk = 256 << 10

// FileContent reads the content of the stored file f a chunk at a time,
// each chunk one query by its key, and seeks, so that http.ServeContent
// answers ranges from it. A file is never changed in place — another
// upload is another file — so the chunks of one download agree; a file
// deleted meanwhile ends the read with ENOTFOUND.
func (s *Store) FileContent(ctx context.Context, f nscl.StoredFile) *FileReader {
	return &FileReader{ctx: ctx, c: s.reader(), id: f.ID, size: f.Size}
}

// FileReader is a stored file's content, read a chunk at a time.
type FileReader struct {
	ctx       context.Context
	c         conn
	id, size  int64
	off       int64  // where the next Read starts
	chunk     []byte // the chunk last read, which starts at chunkAt
	chunkAt   int64
	chunkRead bool
}

func (r *FileReader) Read(p []byte) (int, error) {
	if r.off >= r.size {
		return 0, io.EOF
	}
	if !r.chunkRead || r.off < r.chunkAt || r.off >= r.chunkAt+int64(len(r.chunk)) {
		if err := r.load(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.chunk[r.off-r.chunkAt:])
	r.off += int64(n)
	return n, nil
}

// load reads the chunk that holds the reader's offset.
func (r *FileReader) load() error {
	n := r.off / FileChunk
	at := n * FileChunk
	want := min(FileChunk, r.size-at)
	r.chunk = nil // the one before is garbage before the next is read
	err := r.c.queryRow(r.ctx, `SELECT data FROM portal_file_chunks WHERE file_id = ? AND n = ?`, r.id, n).Scan(&r.chunk)
	if errors.Is(err, sql.ErrNoRows) {
		return nscl.NotFound("file", "không có tệp số %d", "no file %d", r.id)
	}
	if err != nil {
		return fmt.Errorf("store: unable to read file %d: %w", r.id, err)
	}
	if int64(len(r.chunk)) != want {
		return fmt.Errorf("store: file %d holds %d bytes in chunk %d, want %d", r.id, len(r.chunk), n, want)
	}
	r.chunkAt, r.chunkRead = at, true
	return nil
}

// Seek moves where the next Read starts, as io.Seeker says.
func (r *FileReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.off
	case io.SeekEnd:
		offset += r.size
	default:
		return r.off, fmt.Errorf("store: seek whence %d", whence)
	}
	if offset < 0 {
		return r.off, fmt.Errorf("store: seek to %d, before the start", offset)
	}
	r.off = offset
	return offset, nil
}

func fileByID(ctx context.Context, c conn, id int64) (nscl.StoredFile, error) {
	var f nscl.StoredFile
	err := c.queryRow(ctx, `SELECT id, name, content_type, size, sha256 FROM portal_files WHERE id = ?`, id).Scan(&f.ID, &f.Name, &f.ContentType, &f.Size, &f.SHA256)
	if errors.Is(err, sql.ErrNoRows) {
		return f, nscl.NotFound("file", "không có tệp số %d", "no file %d", id)
	}
	return f, err
}

// PostPage is one page of a list of posts.
type PostPage struct {
	Posts []PostItem
	Next  string // the cursor of the next page; "" on the last
}

// News lists the programme's published articles, newest first (by date,
// then ID), limit at a time after the cursor of the page before (""
// for the first), through the index in that order (posts_news).
func (s *Store) News(ctx context.Context, prog *nscl.Programme, after string, limit int) (PostPage, error) {
	q := `SELECT ` + postColumns("substr(p.body, 1, "+strconv.Itoa(listBody)+")") + postFrom + `
		WHERE p.programme_id = ? AND p.state = 'published' AND p.kind = 'article'`
	args := []any{prog.ID}
	if after != "" {
		c, err := parsePostCursor(after)
		if err != nil {
			return PostPage{}, err
		}
		q += ` AND (p.published_on, p.id) < (?, ?)`
		args = append(args, formatDate(c.date), c.id)
	}
	q += ` ORDER BY p.published_on DESC, p.id DESC LIMIT ?`
	return s.postPage(ctx, q, args, limit)
}

// Materials lists the programme's published videos and documents by
// topic (as nscl.SearchKey folds it), newest first in each, limit at a
// time after the page before's cursor, through posts_materials. text, when
// given, keeps those whose words hold each of its words, with or without
// diacritics; EINVALID on field q for a search over nscl.SearchWords's bounds.
func (s *Store) Materials(ctx context.Context, prog *nscl.Programme, text, after string, limit int) (PostPage, error) {
	q := `SELECT ` + postColumns("substr(p.body, 1, "+strconv.Itoa(listBody)+")") + postFrom + `
		WHERE p.programme_id = ? AND p.state = 'published' AND p.kind <> 'article'`
	args := []any{prog.ID}
	words, err := nscl.SearchWords("q", text)
	if err != nil {
		return PostPage{}, err
	}
	for _, word := range words {
		q += ` AND p.search_text LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscaper.Replace(word)+"%")
	}
	if after != "" {
		c, err := parsePostCursor(after)
		if err != nil {
			return PostPage{}, err
		}
		q += ` AND (p.topic_key > ? OR p.topic_key = ? AND (p.published_on, p.id) < (?, ?))`
		args = append(args, c.topic, c.topic, formatDate(c.date), c.id)
	}
	q += ` ORDER BY p.topic_key, p.published_on DESC, p.id DESC LIMIT ?`
	return s.postPage(ctx, q, args, limit)
}

// StaffPosts lists every post of the programme, drafts too, newest first
// by ID, for the staff's list.
func (s *Store) StaffPosts(ctx context.Context, prog *nscl.Programme, after string, limit int) (PostPage, error) {
	q := `SELECT ` + postColumns("''") + postFrom + ` WHERE p.programme_id = ?`
	args := []any{prog.ID}
	if after != "" {
		c, err := parsePostCursor(after)
		if err != nil {
			return PostPage{}, err
		}
		q += ` AND p.id < ?`
		args = append(args, c.id)
	}
	q += ` ORDER BY p.id DESC LIMIT ?`
	return s.postPage(ctx, q, args, limit)
}

func (s *Store) postPage(ctx context.Context, q string, args []any, limit int) (PostPage, error) {
	limit = pageLimit(limit)
	rows, err := s.lister().query(ctx, q, append(args, limit+1)...)
	items, err := collect(rows, err, scanPost)
	if err != nil {
		return PostPage{}, fmt.Errorf("store: unable to list posts: %w", err)
	}
	var page PostPage
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		page.Next = postCursor{date: last.PublishedOn, id: last.ID, topic: nscl.SearchKey(last.Topic)}.String()
	}
	page.Posts = items
	return page, nil
}

// postCursor is a place in a list of posts: the last one's date, ID and
// folded topic, written "2023-04-20.12.topic" (the topic last, as it may
// hold dots).
type postCursor struct {
	date  time.Time
	id    int64
	topic string
}

func (c postCursor) String() string {
	d := "-"
	if !c.date.IsZero() {
		d = c.date.Format(dateLayout)
	}
	return d + "." + strconv.FormatInt(c.id, 10) + "." + c.topic
}

func parsePostCursor(s string) (postCursor, error) {
	bad := nscl.Invalid("after", "vị trí trang %q không hợp lệ", "page position %q is not valid", s)
	parts := strings.SplitN(s, ".", 3)
	if len(parts) != 3 {
		return postCursor{}, bad
	}
	var c postCursor
	var err error
	if parts[0] != "-" {
		if c.date, err = time.Parse(dateLayout, parts[0]); err != nil {
			return c, bad
		}
	}
	if c.id, err = strconv.ParseInt(parts[1], 10, 64); err != nil || c.id <= 0 {
		return c, bad
	}
	c.topic = parts[2]
	return c, nil
}

// PostCounts are views of a post's page and downloads of its file.
type PostCounts struct{ Views, Downloads int64 }

// AddPostCounts adds views and downloads counted in memory to the posts,
// in one transaction; a post deleted since is skipped. The counts are
// figures about the pages, not anyone's change to the data: they bump no
// version (an editor's form stays current) and write no audit entry.
func (s *Store) AddPostCounts(ctx context.Context, counts map[int64]PostCounts) error {
	if len(counts) == 0 {
		return nil
	}
	ids := slices.Sorted(maps.Keys(counts))
	return s.Update(ctx, func(tx *Tx) error {
		for _, id := range ids { // in ID order, so that two writers lock rows alike
			c := counts[id]
			if _, err := tx.exec(ctx, `UPDATE posts SET views = views + ?, downloads = downloads + ? WHERE id = ?`, c.Views, c.Downloads, id); err != nil {
				return fmt.Errorf("store: unable to count views: %w", err)
			}
		}
		return nil
	})
}
