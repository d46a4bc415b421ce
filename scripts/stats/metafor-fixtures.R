# Reference values for `matwise pool` from the R package metafor (Viechtbauer 2010).
#
# Run from the repository root:  Rscript scripts/stats/metafor-fixtures.R
# (Debian: apt-get install r-cran-metafor r-cran-jsonlite). Writes
# src/core/stats/fixtures/metafor-*.json, which the vitest suite reads; R is never
# needed to run the tests. Every fit uses metafor's defaults, as `matwise pool` promises.
suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

out_dir <- file.path("src", "core", "stats", "fixtures")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

fit_one <- function(yi, sei, method) {
  res <- rma(yi = yi, sei = sei, method = method)
  pr <- predict(res)
  bl <- blup(res)
  list(
    estimate = as.numeric(res$beta), se = res$se, ci95 = c(res$ci.lb, res$ci.ub),
    z = res$zval, p = res$pval, tau2 = res$tau2, I2 = res$I2, H2 = res$H2,
    Q = res$QE, Q_df = res$k - res$p, Q_p = res$QEp,
    pi95 = c(pr$pi.lb, pr$pi.ub),
    blup = list(pred = bl$pred, se = bl$se, pi_lb = bl$pi.lb, pi_ub = bl$pi.ub)
  )
}

write_case <- function(name, description, ids, yi, sei) {
  case <- list(
    name = name, description = description,
    metafor_version = as.character(packageVersion("metafor")),
    R_version = R.version.string,
    ids = as.character(ids), yi = as.numeric(yi), sei = as.numeric(sei),
    REML = fit_one(yi, sei, "REML"), DL = fit_one(yi, sei, "DL")
  )
  path <- file.path(out_dir, paste0("metafor-", name, ".json"))
  writeLines(toJSON(case, auto_unbox = TRUE, digits = NA, pretty = FALSE), path)
  cat("wrote", path, " REML tau2 =", case$REML$tau2, " DL tau2 =", case$DL$tau2, "\n")
}

# 1. The published worked example: BCG vaccine trials, log risk ratios
#    (metafor documentation; REML estimate -0.7145, se 0.1798, tau^2 0.3132, I^2 92.22 %).
dat <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
write_case("bcg", "dat.bcg log risk ratios (escalc measure RR), the metafor worked example",
           paste0("trial-", dat$trial), dat$yi, sqrt(dat$vi))

set.seed(20240607)

# 2. Two people only (k = 2).
write_case("k2", "two people, heterogeneous", c("p1", "p2"), c(-1.2, 0.4), c(0.35, 0.5))

# 3. Homogeneous effects: tau^2 truncates to 0 under both estimators.
k <- 12
sei <- runif(k, 0.4, 0.9)
yi <- -0.5 + rnorm(k, 0, sei * 0.3)
write_case("tau2-zero", "homogeneous effects (spread well below the standard errors): tau^2 truncates to 0",
           sprintf("h%02d", seq_len(k)), yi, sei)

# 4. A typical pooled n-of-1 set: 25 people, real heterogeneity.
k <- 25
sei <- runif(k, 0.2, 1.5)
yi <- rnorm(k, -0.6, 0.7) + rnorm(k, 0, sei)
write_case("k25", "25 people, moderate heterogeneity, varied standard errors",
           sprintf("person-%02d", seq_len(k)), yi, sei)

# 5. Large k.
k <- 2000
sei <- exp(rnorm(k, log(0.5), 0.5))
yi <- rnorm(k, -0.3, 0.4) + rnorm(k, 0, sei)
write_case("k2000", "2000 people, log-normal standard errors",
           sprintf("u%04d", seq_len(k)), yi, sei)
