;;; emacs_check.el --- run by test_emacs.py: emacs -Q --batch -l emacs_check.el  -*- lexical-binding: t; -*-
;; Env: CRAFTLS_REPO, CRAFTLS_PYTHON, CRAFTLS_WORK (a git repo with primes.pas and
;; texto.esp), CRAFTLS_RESULT (JSON file written at the end).

(require 'cl-lib)
(require 'json)
(dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
  (add-to-list 'load-path dir))
(defvar check-repo (getenv "CRAFTLS_REPO"))
(defvar check-work (file-name-as-directory (getenv "CRAFTLS_WORK")))
(defvar check-result (getenv "CRAFTLS_RESULT"))
(add-to-list 'load-path (expand-file-name "editors/emacs" check-repo))
(require 'craftls-languages)

(setq craftls-server-command
      (list (getenv "CRAFTLS_PYTHON") "-m" "craftls" "serve"
            "--log-file" (expand-file-name "server.log" check-work)))
(setq craftls-poll-health nil)  ; the mode line's first value must be what the server pushes
(setq eglot-sync-connect 15
      eglot-events-buffer-size 0
      eglot-autoreconnect nil)

(defvar check-steps nil)
(defvar check-errors nil)

(defun check-record (name value)
  (push (cons name value) check-steps))

(defmacro check-step (name &rest body)
  (declare (indent 1))
  `(condition-case err
       (progn ,@body)
     (error (push (format "%s: %S" ,name err) check-errors))))

(defun check-wait (what pred &optional seconds)
  (let ((deadline (+ (float-time) (or seconds 15))))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or (funcall pred) (error "Timed out waiting for %s" what))))

(defun check-face-at (needle &optional offset)
  (save-excursion
    (goto-char (point-min))
    (search-forward needle)
    (let ((face (get-text-property (+ (match-beginning 0) (or offset 0)) 'face)))
      (format "%s" face))))

(defun check-goto (needle)
  (goto-char (point-min))
  (search-forward needle)
  (goto-char (match-beginning 0)))

(defun check-count (regexp)
  (let ((case-fold-search nil) (n 0))
    (save-excursion
      (goto-char (point-min))
      (while (re-search-forward regexp nil t) (cl-incf n)))
    n))

(defvar check-server nil)

(defvar check-opened-at nil)

(check-step "open"
  (setq check-opened-at (float-time))
  ;; the sample is the Pascal-style language's: a user's mode for .pas (the generated
  ;; modes give it to craftls-turbopascal-mode)
  (add-to-list 'auto-mode-alist '("\\.pas\\'" . craftls-pascal-mode))
  (find-file (expand-file-name "primes.pas" check-work))
  (check-record "mode" (symbol-name major-mode))
  (check-record "contact" (craftls-server-contact))
  (apply #'eglot (eglot--guess-contact))
  (check-wait "eglot" (lambda () (and (eglot-current-server) eglot--managed-mode)))
  (setq check-server (eglot-current-server)))

(check-step "pushed"
  ;; after `initialized' the server pushes craftls/health once, healthy or not
  (check-wait "pushed health" (lambda () (craftls-health-pushed-p check-server)))
  (check-record "pushed_ms" (round (* 1000 (- (float-time) check-opened-at))))
  (check-record "pushed_mode_line" (substring-no-properties (craftls-mode-line))))

(check-step "font-lock"
  (font-lock-ensure)
  (check-record "face_keyword" (check-face-at "PROGRAM"))
  (check-record "face_comment_brace" (check-face-at "Prints the prime" 0))
  (check-record "face_comment_paren" (check-face-at "True when n is prime"))
  (check-record "face_string" (check-face-at "Sieve'"))
  (check-record "face_builtin" (check-face-at "WriteLn"))
  (with-temp-buffer
    (insert "REM hello IF\nif x THEN PRINT \"REM no\" ' IF c\nLET remx = 1\n")
    (craftls-basic-mode)
    (font-lock-ensure)
    (check-record "basic_rem" (check-face-at "hello"))
    (check-record "basic_if_lower" (check-face-at "if x"))
    (check-record "basic_string" (check-face-at "REM no"))
    (check-record "basic_quote_comment" (check-face-at " IF c" 1))
    (check-record "basic_remx" (check-face-at "remx"))))

(check-step "diagnostics"
  (check-wait "diagnostics"
              (lambda ()
                (unless (flymake-diagnostics) (flymake-start))
                (cl-some (lambda (d) (string-match-p "Missing" (flymake-diagnostic-text d)))
                         (flymake-diagnostics))))
  (let ((d (cl-find-if (lambda (d) (string-match-p "Missing" (flymake-diagnostic-text d)))
                       (flymake-diagnostics))))
    (check-record "diagnostic_text" (flymake-diagnostic-text d))
    (check-record "diagnostic_at" (buffer-substring (flymake-diagnostic-beg d)
                                                    (flymake-diagnostic-end d)))))

(check-step "health"
  (setq craftls-poll-health t)
  (check-wait "health in the mode line"
              (lambda () (string-match-p "healthy" (or (craftls-mode-line) ""))))
  (check-record "mode_line" (substring-no-properties (craftls-mode-line)))
  (check-record "mode_line_in_misc_info"
                (and (member '(:eval (craftls-mode-line)) mode-line-misc-info) t))
  (eglot-handle-notification check-server 'craftls/health :status "degraded" :services nil)
  (check-record "mode_line_after_notification" (substring-no-properties (craftls-mode-line))))

(check-step "completion"
  (check-goto "Name := 'Sieve'")
  (let* ((capf (eglot-completion-at-point))
         (table (nth 2 capf)))
    (check-record "completion" (all-completions "" table))))

(check-step "formatting"
  (setq-local indent-tabs-mode nil)
  (setq-local tab-width 2)
  (eglot-format-buffer)
  (check-record "formatted_fixed" (and (save-excursion (goto-char (point-min))
                                                      (search-forward "  D := 2;" nil t)) t))
  (check-record "formatted_broken" (and (save-excursion (goto-char (point-min))
                                                       (search-forward "D:=2" nil t)) t)))

(check-step "generated"
  (let ((wat (craftls-show-generated "wat")))
    (with-current-buffer wat
      (check-record "wat_has_main" (and (search-forward "(func $main (export \"main\")" nil t) t))
      (check-record "wat_read_only" buffer-read-only)
      ;; the line after a ";; @LINE:COL" mark maps to that source line
      (goto-char (point-min))
      (re-search-forward "^ *;; @\\([0-9]+\\):")
      (let ((marked (1- (string-to-number (match-string 1)))))
        (forward-line 1)
        (check-record "wat_maps_back" (list (craftls-generated-source-line) marked)))))
  (with-current-buffer (craftls-show-generated "c")
    (check-record "c_has_main" (and (search-forward "int main(void)" nil t) t))
    (check-record "c_mode" (symbol-name major-mode))))

(check-step "run"
  (check-record "run_command" (craftls--command "run" "x.pas"))
  (let* ((buffer (craftls-run "wasm"))
         (process (get-buffer-process buffer)))
    (check-wait "the program's end" (lambda () (memq (process-status process) '(exit signal)))
                60)
    (check-record "run_exit" (process-exit-status process))
    (with-current-buffer buffer
      (check-record "run_output" (buffer-substring-no-properties (point-min) (point-max))))))

(defun check-flush-changes ()
  "What eglot's idle timer does in an interactive Emacs (batch mode is never idle):
send the pending didChange before the next request."
  (eglot--signal-textDocument/didChange))

(check-step "rename"
  (check-flush-changes)
  (check-goto "Count")
  (eglot-rename "Total2")
  (check-record "renamed" (check-count "\\_<Total2\\_>"))
  (check-record "left" (check-count "\\_<Count\\_>")))

(check-step "utf8-rename"
  (find-file (expand-file-name "texto.esp" check-work))
  (check-record "esp_mode" (symbol-name major-mode))
  (check-wait "eglot in texto.esp" (lambda () (and eglot--managed-mode (eglot-current-server))))
  (check-record "same_server" (eq (eglot-current-server) check-server))
  (check-goto "cañón")
  (eglot-rename "campana")
  (check-record "esp_text" (buffer-substring-no-properties (point-min) (point-max))))

(with-temp-file check-result
  (insert (json-encode `((steps . ,check-steps) (errors . ,(vconcat (reverse check-errors)))))))
(ignore-errors (eglot-shutdown check-server))
(kill-emacs 0)
