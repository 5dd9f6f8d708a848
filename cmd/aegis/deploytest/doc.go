// Package deploytest holds tests of the deployment files: the compose file and the NATS cluster configs.
package deploytest
