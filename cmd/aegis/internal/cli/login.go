package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/commands/api"
	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/commands/readmodel"
	"github.com/aegis-oss/aegis/schema"
)

func (e *env) loginCommand() *cobra.Command {
	var base, email, token string
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Log in to an Aegis admin API and keep a personal access token",
		Long: `Log in with your email and password, create a personal access token named
"aegis CLI on <hostname>", and keep it with the admin API's address in
$XDG_CONFIG_HOME/aegis/credentials.json (~/.config/aegis by default),
readable by you only. The other commands use it; 'aegis logout' revokes it.

The password is asked for without echo when stdin is a terminal, and is
otherwise read as one line from stdin. AEGIS_PASSWORD, when set, is used
instead: it is meant for tests and automation, where stdin is better still.

With --token, keep a token you already have instead (no password asked).

AEGIS_URL and AEGIS_TOKEN, when set, override the stored address and token
in every command, for scripts and CI, which need no login at all.`,
		Example: `  aegis login --url http://localhost:3001 --email ada@acme.example
  printf '%s\n' "$PASSWORD" | aegis login --email ada@acme.example
  aegis login --url https://aegis.example.com --token aegp_...`,
		Args:              args(cobra.NoArgs),
		PersistentPreRunE: noServerConfig,
		RunE: func(cmd *cobra.Command, _ []string) error {
			token = strings.TrimSpace(token)
			switch {
			case email == "" && token == "":
				return usageError{errors.New("--email (or --token) is required")}
			case email != "" && token != "":
				return usageError{errors.New("--email and --token exclude each other")}
			}
			if token != "" {
				if _, err := auth.ParseAccessToken(token); err != nil {
					return usageError{fmt.Errorf("--token is not a personal access token (%s...)", auth.AccessTokenPrefix)}
				}
			}
			ctx := cmd.Context()
			c, err := newAPIClient(base, "")
			if err != nil {
				return err
			}
			creds := credentials{URL: c.base, Token: token}
			if token == "" {
				password, err := e.readPassword()
				if err != nil {
					return err
				}
				if creds, err = e.createToken(ctx, c, email, password); err != nil {
					return err
				}
			}
			// Check the token, waiting until the API knows it if it is new.
			c.token = creds.Token
			var me readmodel.Profile
			if err := c.get(ctx, "/api/v1/me", nil, &me); err != nil {
				return err
			}
			e.revokePrevious(ctx, creds)
			if _, err := e.saveCredentials(creds); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Logged in to %s as %s (%s of %s).\n", c.base, me.Email, me.Role, me.CompanyName)
			return nil
		},
	}
	defaultBase := e.getenv("AEGIS_URL")
	if defaultBase == "" {
		defaultBase = defaultURL
	}
	f := cmd.Flags()
	f.StringVar(&base, "url", defaultBase, "the admin API's address (AEGIS_URL)")
	f.StringVar(&email, "email", "", "your email address")
	f.StringVar(&token, "token", "", "keep this personal access token instead of logging in")
	return cmd
}

// createToken logs in to the admin API with a session cookie, creates a
// personal access token with it and ends the session, which the command
// line has no use for. It returns the API's error when the login or the
// creation fails.
func (e *env) createToken(ctx context.Context, c *apiClient, email, password string) (credentials, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return credentials{}, err
	}
	c.http.Jar = jar
	defer func() { c.http.Jar, c.csrf = nil, "" }()

	var login api.LoginInput
	login.Body.Email, login.Body.Password = email, password
	var session api.LoginOutput
	if err := c.do(ctx, request{method: http.MethodPost, path: "/api/v1/auth/login", body: login.Body}, &session.Body); err != nil {
		return credentials{}, err
	}
	c.csrf = session.Body.CSRFToken

	var create api.CreateTokenInput
	create.Body.Name = tokenName()
	var created commands.CreatedToken
	if err := c.do(ctx, request{method: http.MethodPost, path: "/api/v1/tokens", body: create.Body}, &created); err != nil {
		return credentials{}, err
	}
	if err := c.do(ctx, request{method: http.MethodPost, path: "/api/v1/auth/logout"}, nil); err != nil {
		e.warn("the login session was not ended: %s", oneLine(err))
	}
	return credentials{URL: c.base, Token: created.Token, TokenID: created.TokenID}, nil
}

// tokenName names the token `aegis login` creates after this machine.
func tokenName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown host"
	}
	name := "aegis CLI on " + host
	for utf8.RuneCountInString(name) > 80 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}

// revokePrevious revokes the token an earlier `aegis login` created on
// the same admin API, now that next replaces it. A failure is only
// reported: the new login stands.
func (e *env) revokePrevious(ctx context.Context, next credentials) {
	prev, ok, err := e.loadCredentials()
	if err != nil || !ok || prev.TokenID == "" || prev.URL != next.URL || prev.Token == next.Token {
		return
	}
	c, err := newAPIClient(prev.URL, prev.Token)
	if err == nil {
		err = c.do(ctx, request{method: http.MethodDelete, path: "/api/v1/tokens/" + prev.TokenID}, nil)
	}
	if code := schema.ErrorCode(err); err != nil && code != schema.CodeUnauthorized && code != schema.CodeNotFound {
		e.warn("the previous login's token %s was not revoked: %s", prev.TokenID, oneLine(err))
	}
}

// readPassword returns AEGIS_PASSWORD if it is set; otherwise it asks for
// the password on the terminal without echo, or reads one line from stdin
// when stdin is not a terminal.
func (e *env) readPassword() (string, error) {
	if p := e.getenv("AEGIS_PASSWORD"); p != "" {
		return p, nil
	}
	fd := int(os.Stdin.Fd())
	if term.IsTerminal(fd) {
		fmt.Fprint(e.stderr, "Password: ")
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		if errors.Is(err, io.EOF) {
			return "", errors.New("no password on stdin")
		}
		return "", fmt.Errorf("read the password from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func (e *env) logoutCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Revoke the token 'aegis login' created and forget it",
		Long: `Revoke the personal access token 'aegis login' created and delete the
credentials file. A token given to 'aegis login --token' is only forgotten,
not revoked: 'aegis tokens revoke ID' does that. If the admin API cannot be
reached, the credentials are kept, so that the token is not left working
and forgotten; run 'aegis logout' again.`,
		Args:              args(cobra.NoArgs),
		PersistentPreRunE: noServerConfig,
		RunE: func(cmd *cobra.Command, _ []string) error {
			creds, ok, err := e.loadCredentials()
			if err != nil {
				return err
			}
			if !ok {
				return errors.New("not logged in")
			}
			if creds.TokenID == "" {
				if err := e.removeCredentials(); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "Logged out of %s. The token was given to 'aegis login --token' and still works.\n", creds.URL)
				return nil
			}
			c, err := newAPIClient(creds.URL, creds.Token)
			if err != nil {
				return err
			}
			err = c.do(cmd.Context(), request{method: http.MethodDelete, path: "/api/v1/tokens/" + creds.TokenID}, nil)
			// Unauthorized or not found: the token no longer works anyway.
			if code := schema.ErrorCode(err); err != nil && code != schema.CodeUnauthorized && code != schema.CodeNotFound {
				return fmt.Errorf("revoke the token (still logged in; try again): %w", err)
			}
			e.settle(cmd.Context(), c)
			if err := e.removeCredentials(); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Logged out of %s; token %s revoked.\n", creds.URL, creds.TokenID)
			return nil
		},
	}
}
