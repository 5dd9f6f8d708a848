module github.com/aegis-oss/aegis/projector

go 1.26.8
