module github.com/aegis-oss/aegis/gateway

go 1.26.8

require (
	github.com/aegis-oss/aegis/schema v0.0.0
	github.com/nats-io/nats.go v1.55.0
	github.com/valyala/fasthttp v1.69.0
)

require (
	github.com/andybalholm/brotli v1.2.0 // indirect
	github.com/klauspost/compress v1.20.4 // indirect
	github.com/nats-io/nkeys v0.4.17 // indirect
	github.com/nats-io/nuid v1.0.1 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/aegis-oss/aegis/schema => ../schema
