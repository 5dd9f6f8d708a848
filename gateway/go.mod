module github.com/aegis-oss/aegis/gateway

go 1.26.8
