package api

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// Problem is an RFC 9457 problem document (the successor of RFC 7807).
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
}

func (p *Problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail) }

func (p *Problem) write(c echo.Context) { p.writeAs(c, p) }

// writeAs writes doc, a problem document that may carry extension members
// beside p's.
func (p *Problem) writeAs(c echo.Context, doc any) {
	if p.Type == "" {
		p.Type = "about:blank"
	}
	body, _ := json.Marshal(doc)
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	c.Response().Write(body)
}

// invalid is a 400 for a request parameter or body that cannot be used.
func invalid(format string, args ...any) *Problem {
	return &Problem{Type: "/problems/invalid-request", Title: "Invalid request", Status: http.StatusBadRequest, Detail: fmt.Sprintf(format, args...)}
}

// unprocessable is a 422 for a body that is well formed but cannot be used.
func unprocessable(detail string) *Problem {
	return &Problem{Type: "/problems/invalid-content", Title: "Unprocessable content", Status: http.StatusUnprocessableEntity, Detail: detail}
}

// invalidEdit is a 422 for an edit that cannot be made as asked.
func invalidEdit(detail string) *Problem {
	return &Problem{Type: "/problems/invalid-edit", Title: "Invalid edit", Status: http.StatusUnprocessableEntity, Detail: detail}
}
