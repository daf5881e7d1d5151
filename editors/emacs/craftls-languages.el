;;; craftls-languages.el --- The languages bundled with craftls  -*- lexical-binding: t; -*-

;;; Commentary:

;; Loads the modes that `craftls editor emacs' generated for the bundled languages.
;; For your own language: craftls editor emacs my-lang.yaml --out ~/.emacs.d/craftls/

;;; Code:

(require 'craftls)
(require 'craftls-basic)
(require 'craftls-curly)
(require 'craftls-espanol)
(require 'craftls-lua)
(require 'craftls-pascal)
(require 'craftls-qbasic)
(require 'craftls-teachlang)
(require 'craftls-turbopascal)

(provide 'craftls-languages)
;;; craftls-languages.el ends here
