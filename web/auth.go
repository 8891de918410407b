package web

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/time/rate"

	"nscl"
	"nscl/auth"
	"nscl/store"
)

const sessionCookie = "nscl_session"

type userKey struct{}

func userFrom(ctx context.Context) (nscl.User, bool) {
	u, ok := ctx.Value(userKey{}).(nscl.User)
	return u, ok
}

// authenticate finds the user of a request: a Bearer API token, or the
// session cookie.
func (s *Server) authenticate(r *http.Request) (nscl.User, error) {
	c, err := credentialOf(r)
	switch {
	case err != nil:
		return nscl.User{}, err
	case c.token:
		return s.Store.TokenUser(r.Context(), c.secret)
	default:
		return s.Store.SessionUser(r.Context(), c.secret)
	}
}

// credential is what a request signs in with: an API token, or the secret
// of a browser's session.
type credential struct {
	token  bool
	secret string
}

// credentialOf reads a request's credential: the Authorization header
// when there is one, else the session's cookie.
func credentialOf(r *http.Request) (credential, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return credential{}, &nscl.Error{Code: nscl.EUNAUTHORIZED, Message: "tiêu đề Authorization phải có dạng Bearer <mã>", English: "the Authorization header must be Bearer <token>"}
		}
		return credential{token: true, secret: strings.TrimSpace(token)}, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return credential{}, &nscl.Error{Code: nscl.EUNAUTHORIZED, Message: "bạn cần đăng nhập", English: "you need to sign in"}
	}
	return credential{secret: c.Value}, nil
}

// withUser puts the signed-in user in the request's context, and makes the
// store record that user as the author of every write, made through the
// request's session or token (requestClient).
func withUser(r *http.Request, u nscl.User) *http.Request {
	ctx := context.WithValue(r.Context(), userKey{}, u)
	return r.WithContext(store.WithClient(store.WithActor(ctx, u.ID), requestClient(r)))
}

// requestClient names the session or API token a request signs in with,
// by a hash of its secret: what a reader is always shown the writes of
// (store.WithClient).
func requestClient(r *http.Request) string {
	c, err := credentialOf(r)
	switch {
	case err != nil:
		return ""
	case c.token:
		return "token " + auth.HashSecret(c.secret)
	default:
		return "session " + auth.HashSecret(c.secret)
	}
}

// page wraps a page handler: without a valid session the reader is sent to
// sign in and brought back afterwards; errors the handler returns are shown
// as a page with the status their code calls for.
func (s *Server) page(h func(w http.ResponseWriter, r *http.Request, u nscl.User) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, err := s.authenticate(r)
		if nscl.ErrorCode(err) == nscl.EUNAUTHORIZED {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.fail(w, r, err)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := h(w, withUser(r, u), u); err != nil {
			s.fail(w, withUser(r, u), err)
		}
	}
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login.html", view{Title: translate(language(r), "login.title"), Data: loginForm{Next: safeNext(r.URL.Query().Get("next"))}})
}

type loginForm struct {
	Email string
	Next  string
}

// safeNext keeps a redirect on this site: a path with no scheme, no host,
// no backslash and no control character (browsers drop tabs and newlines,
// so "/\t/evil.example" would become "//evil.example").
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\") || strings.IndexFunc(next, unicode.IsControl) >= 0 {
		return "/"
	}
	return next
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	email, password := r.PostFormValue("email"), r.PostFormValue("password")
	form := loginForm{Email: email, Next: safeNext(r.PostFormValue("next"))}
	secret, err := "", nscl.ValidateSignIn(email, password) // a blank form is no attempt
	if err == nil {
		secret, err = s.signIn(r, email, password)
	}
	if err != nil {
		s.render(w, r, statusOf(err), "login.html", view{Title: translate(language(r), "login.title"), Error: s.publicError(err), Mistakes: nscl.ErrorList(err), Data: form})
		return
	}
	s.setSessionCookie(w, r, secret)
	http.Redirect(w, r, form.Next, http.StatusSeeOther)
}

// signIn checks the limits, then the password, and starts a session.
// Only failed attempts count against the limits, so that an office behind
// one address can sign in all morning; and they count against the address
// they came from, so that nobody can lock an account's owner out.
func (s *Server) signIn(r *http.Request, email, password string) (string, error) {
	ip, account := s.clientIP(r), crop(nscl.NormalizeEmail(email), 254)
	who := limitedAddress(ip)
	reason, record, attempt := s.limiter.refusal(who, account)
	if reason != "" {
		s.signInRefused(r, account, ip, reason, record)
		return "", &nscl.Error{Code: errTooMany, Message: "quá nhiều lần đăng nhập sai; hãy thử lại sau ít phút", English: "too many failed sign-ins; try again in a few minutes"}
	}
	u, err := s.Store.Authenticate(r.Context(), email, password)
	if err != nil {
		if nscl.ErrorCode(err) == nscl.EUNAUTHORIZED {
			s.limiter.failed(attempt)
			s.signInRefused(r, account, ip, reasonWrongPassword, true)
		} else {
			s.limiter.giveBack(attempt) // not a guess: a bad form or a fault of ours
		}
		return "", err
	}
	s.limiter.succeeded(attempt)
	return s.Store.CreateSession(r.Context(), u.ID, s.SessionTTL)
}

// limitedAddress is what the sign-in limits count as one client address:
// an IPv6 client is given a whole /64, so its /64 counts as one, or it
// would have more addresses than any limit.
func limitedAddress(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is6() {
		return ip
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// signInRefused logs a refused sign-in — never its password — and, when
// record says so, keeps it in the audit log for administrators.
func (s *Server) signInRefused(r *http.Request, account, ip, reason string, record bool) {
	s.Log.Warn("sign-in refused", "account", account, "address", ip, "reason", reason)
	if !record {
		return
	}
	// The client may hang up; the record is kept all the same.
	if err := s.Store.RecordSignInFailure(context.WithoutCancel(r.Context()), account, ip, reason); err != nil {
		s.Log.Error("record sign-in failure", "err", err)
	}
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secure(r), MaxAge: int(s.SessionTTL.Seconds())})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	s.endSession(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// endSession deletes the session in the database, not only the cookie, so
// that a copied cookie stops working too.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.Store.EndSession(r.Context(), c.Value); err != nil {
			s.Log.Error("end session", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r), MaxAge: -1})
}

// errTooMany is the code of a refusal for too many sign-in attempts.
const errTooMany = "too_many_requests"

// Why a sign-in was refused, as logged and recorded.
const (
	reasonWrongPassword  = "wrong_password"   // wrong e-mail or password (which, nobody is told)
	reasonAddress        = "address_limited"  // the address failed too often, whatever the accounts
	reasonAccountAddress = "account_limited"  // the address failed too often on this account
	reasonUnderAttack    = "account_attacked" // the account fails from many addresses, this one among them
)

// The allowances of failed sign-ins: each is a burst at once, then one
// more every loginRefill.
const (
	loginRefill   = 12 * time.Second
	pairBurst     = 5  // one address on one account
	addressBurst  = 20 // one address on all accounts: nobody tries many accounts fast
	accountBurst  = 20 // all addresses on one account, before it counts as under attack
	loginIdle     = 5 * time.Minute
	loginMaxKeys  = 10_000
	loginNoteStep = time.Minute
)

// loginLimiter slows whoever tries passwords, not the account's owner.
// Failed sign-ins are counted per client address and per (address,
// account); a correct password from an address with no recent failure on
// the account is let in even while the account is tried from elsewhere.
// An account failing from many addresses at once (accountBurst) refuses
// every address that has recently failed on it, so that many addresses
// do not add up to many guesses. It lives in memory: one server process,
// which is what nscl runs as.
type loginLimiter struct {
	mu        sync.Mutex
	buckets   map[string]*loginBucket
	lastSweep time.Time
}

type loginBucket struct {
	lim    *rate.Limiter
	burst  int
	failed time.Time // the last failure: a bucket idle for loginIdle is full again, and forgotten
	noted  time.Time // on an address's bucket: when a refusal of it was last recorded
	// inFlight counts the attempts let through and not yet settled.
	inFlight int
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{buckets: map[string]*loginBucket{}}
}

func pairKey(ip, account string) string { return "pair:" + ip + " " + account }

// loginAttempt is a sign-in let through and not yet settled. It counts as
// spent in its address's and its pair's allowances until it is, so that
// guesses sent all at once cannot each pass the check before any of them
// has failed.
type loginAttempt struct {
	ip, account string
}

// refusal says why a sign-in from ip to account is refused now, "" when
// it is not; and whether to record this refusal: the first of the address
// in a minute, so that an address hammering away fills the log (slog)
// but not the database. A sign-in let through takes its attempt now
// (attempt); failed, succeeded or giveBack settles it.
func (l *loginLimiter) refusal(ip, account string) (reason string, record bool, attempt loginAttempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	l.sweep(now)
	pair := l.buckets[pairKey(ip, account)]
	switch {
	case l.buckets["address:"+ip].spent(now):
		reason = reasonAddress
	case pair.spent(now):
		reason = reasonAccountAddress
	case l.buckets["account:"+account].spent(now) && pair.used(now):
		reason = reasonUnderAttack
	default:
		l.bucket("address:"+ip, addressBurst).inFlight++
		l.bucket(pairKey(ip, account), pairBurst).inFlight++
		return "", false, loginAttempt{ip: ip, account: account}
	}
	addr := l.bucket("address:"+ip, addressBurst)
	if now.Sub(addr.noted) < loginNoteStep {
		return reason, false, loginAttempt{}
	}
	addr.noted = now
	return reason, true, loginAttempt{}
}

// failed spends the attempt of each allowance the failure counts against.
func (l *loginLimiter) failed(a loginAttempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.settle(a)
	now := time.Now()
	l.bucket("address:"+a.ip, addressBurst).spend(now)
	l.bucket(pairKey(a.ip, a.account), pairBurst).spend(now)
	l.bucket("account:"+a.account, accountBurst).spend(now)
}

// succeeded gives the address its attempt back and forgets the address's
// failures on the account: the owner's typos. The address's earlier
// failures and the account's count stay, or a password known for one
// account would buy guesses at others.
func (l *loginLimiter) succeeded(a loginAttempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.settle(a)
	if pair := l.buckets[pairKey(a.ip, a.account)]; pair != nil && pair.inFlight == 0 {
		delete(l.buckets, pairKey(a.ip, a.account))
	}
}

// giveBack settles an attempt that was no guess at the password.
func (l *loginLimiter) giveBack(a loginAttempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.settle(a)
}

// settle ends an attempt's hold on its allowances (l.mu held).
func (l *loginLimiter) settle(a loginAttempt) {
	for _, key := range []string{"address:" + a.ip, pairKey(a.ip, a.account)} {
		if b := l.buckets[key]; b != nil && b.inFlight > 0 {
			b.inFlight--
		}
	}
}

// bucket returns the allowance of key, made full when new.
func (l *loginLimiter) bucket(key string, burst int) *loginBucket {
	b, ok := l.buckets[key]
	if !ok {
		b = &loginBucket{lim: rate.NewLimiter(rate.Every(loginRefill), burst), burst: burst}
		l.buckets[key] = b
	}
	return b
}

func (b *loginBucket) spend(now time.Time) {
	b.lim.AllowN(now, 1)
	b.failed = now
}

// spent reports whether no attempt is left; no bucket has them all.
func (b *loginBucket) spent(now time.Time) bool {
	return b != nil && b.lim.TokensAt(now)-float64(b.inFlight) < 1
}

// used reports whether an attempt was spent and not yet given back.
func (b *loginBucket) used(now time.Time) bool {
	return b != nil && b.lim.TokensAt(now) < float64(b.burst)
}

// sweep forgets, once a minute when there are many, the buckets that have
// filled up again: forgetting them changes nothing.
func (l *loginLimiter) sweep(now time.Time) {
	if len(l.buckets) < loginMaxKeys || now.Sub(l.lastSweep) < time.Minute {
		return
	}
	l.lastSweep = now
	for key, b := range l.buckets {
		if now.Sub(b.failed) > loginIdle && b.inFlight == 0 {
			delete(l.buckets, key)
		}
	}
}

// clientIP is the address the request came from, the key of the rate
// limits. When the peer is one of TrustedProxies, the client is the
// rightmost address of X-Forwarded-For that is not itself a trusted proxy:
// each proxy appends the peer it saw, so everything to the left of that
// was written by the client and may be forged. A missing or malformed
// header, or one listing only trusted proxies, leaves the peer.
func (s *Server) clientIP(r *http.Request) string {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr // not an IP peer (a test, a Unix socket): nothing to trust
	}
	peer := plainAddr(ap.Addr())
	if !s.trustedProxy(peer) {
		return peer.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			break
		}
		if !s.trustedProxy(hop) {
			return hop.String()
		}
	}
	return peer.String()
}

// parseHop reads one entry of X-Forwarded-For; some proxies add the port.
func parseHop(h string) (netip.Addr, bool) {
	h = strings.TrimSpace(h)
	if a, err := netip.ParseAddr(h); err == nil {
		return plainAddr(a), true
	}
	if ap, err := netip.ParseAddrPort(h); err == nil {
		return plainAddr(ap.Addr()), true
	}
	return netip.Addr{}, false
}

// plainAddr makes one client one key: ::ffff:192.0.2.1 is 192.0.2.1, and a
// zone names an interface, not a client.
func plainAddr(a netip.Addr) netip.Addr { return a.Unmap().WithZone("") }

func (s *Server) trustedProxy(a netip.Addr) bool {
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// secure reports whether cookies must be marked Secure: when the request
// came over TLS, or always when the server sits behind a proxy that ends
// TLS for it (SecureCookies).
func (s *Server) secure(r *http.Request) bool { return r.TLS != nil || s.SecureCookies }
