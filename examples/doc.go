// Package examples holds programs that show how to put an API behind Aegis.
package examples
