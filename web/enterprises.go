package web

import "net/http"

// enterpriseRoutes serves the registry of enterprises.
func (s *Server) enterpriseRoutes(mux *http.ServeMux) {
}
