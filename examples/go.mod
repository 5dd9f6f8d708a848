module github.com/aegis-oss/aegis/examples

go 1.26.8
