package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gridline/gridline/store"
	"github.com/labstack/echo/v4"
)

// require lets a request through only with an API key of at least role
// ("Authorization: Bearer gl_…"): 401 without a valid key, 403 with a key of
// a lesser role. The key is kept on the context for the handler.
func (s *Server) require(role string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			token, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
			if !ok || token == "" {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="gridline"`)
				return &Problem{Type: "/problems/unauthorized", Title: "Unauthorized", Status: http.StatusUnauthorized,
					Detail: "this call needs an API key of role " + role + " or above: Authorization: Bearer gl_…"}
			}
			key, err := s.store.LookupKey(c.Request().Context(), strings.TrimSpace(token))
			if errors.Is(err, store.ErrBadKey) {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="gridline", error="invalid_token"`)
				return &Problem{Type: "/problems/unauthorized", Title: "Unauthorized", Status: http.StatusUnauthorized, Detail: err.Error()}
			}
			if err != nil {
				return err
			}
			if store.RoleRank(key.Role) < store.RoleRank(role) {
				return &Problem{Type: "/problems/forbidden", Title: "Forbidden", Status: http.StatusForbidden,
					Detail: "key " + key.Name + " has role " + key.Role + "; this call needs " + role}
			}
			c.Set("key", key)
			return next(c)
		}
	}
}

// author is who made a request: the name on its API key.
func author(c echo.Context) string {
	if k, ok := c.Get("key").(store.Key); ok {
		return k.Name
	}
	return "anonymous"
}

type keyRequest struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// postKey adds an API key (admin only) and answers with its token, the only
// time its secret is shown.
func (s *Server) postKey(c echo.Context) error {
	var req keyRequest
	if err := decode(c, &req, `{"name": "case-router", "role": "reader"}`); err != nil {
		return err
	}
	token, err := s.store.CreateKey(c.Request().Context(), req.Name, req.Role)
	if err != nil {
		return unprocessable(err.Error())
	}
	return c.JSON(http.StatusCreated, map[string]string{"name": req.Name, "role": req.Role, "token": token})
}
