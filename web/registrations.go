package web

import "net/http"

// registrationRoutes serves the public pages of calls for participation,
// their JSON API, and the focal users' review of registrations.
func (s *Server) registrationRoutes(mux *http.ServeMux) {
}
