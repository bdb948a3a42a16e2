{
  "targets": [
    {
      "target_name": "caveat_native",
      "sources": ["src/native/flag-scan.c"],
      "cflags": ["-O2", "-std=c11", "-Wall", "-Wextra"]
    }
  ]
}
