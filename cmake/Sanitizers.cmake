# PODALLOC_SANITIZE=ON instruments every target with ASan and UBSan; any report is fatal.
if(PODALLOC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
