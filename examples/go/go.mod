module podalloc.dev/podalloc

go 1.19
