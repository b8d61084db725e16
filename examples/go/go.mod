module example.com/podalloc

go 1.19
