# bash completion for kn and the kn-* tools of kiennghi.
# Installed by "make install" as .../bash-completion/completions/kn;
# to try it from a checkout: source contrib/kn.bash

# The long options a tool's --help lists.
_kn_options()
{
	"$1" --help 2>&1 | grep -o -e '--[a-z][a-z0-9-]*' | sort -u
}

_kn_tool()
{
	local tool=$1 cur=$2 prev=$3 sub=$4

	case $prev in
	--from|--to)
		COMPREPLY=($(compgen -W "csv jsonl json" -- "$cur"))
		return ;;
	--format)
		COMPREPLY=($(compgen -W "text csv json md html" -- "$cur"))
		return ;;
	--lang)
		COMPREPLY=($(compgen -W "vi en" -- "$cur"))
		return ;;
	--encoding)
		COMPREPLY=($(compgen -W "cp1258 tcvn viscii utf-8 utf-16" \
		    -- "$cur"))
		return ;;
	--delimiter)
		COMPREPLY=($(compgen -W "comma semicolon tab" -- "$cur"))
		return ;;
	--by)
		COMPREPLY=($(compgen -W "field status department department_code
		    commune commune_code priority group week month" -- "$cur"))
		return ;;
	--min-confidence|--min-score|--group-threshold|--max-field|--wait|\
	--since|--until|--week|--month|--last|--as-of|--title|--jobs)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_kn_options "$tool")" -- "$cur"))
		return
	fi
	if [[ -z $sub ]]; then
		case ${tool##*/} in
		kn-classify) COMPREPLY=($(compgen -W "train eval cv" -- "$cur")) ;;
		kn-answer) COMPREPLY=($(compgen -W "eval" -- "$cur")) ;;
		esac
	fi
	COMPREPLY+=($(compgen -f -- "$cur"))
}

_kn_tool_cmd()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local sub=
	((COMP_CWORD > 1)) && sub=${COMP_WORDS[1]}
	_kn_tool "${COMP_WORDS[0]}" "$cur" "$prev" "$sub"
}

_kn()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local tools="intake classify route answer report"

	if ((COMP_CWORD == 1)); then
		COMPREPLY=($(compgen -W "$tools help --version" -- "$cur"))
		return
	fi
	if [[ ${COMP_WORDS[1]} == help ]]; then
		((COMP_CWORD == 2)) &&
		    COMPREPLY=($(compgen -W "$tools kiennghi" -- "$cur"))
		return
	fi
	local sub=
	((COMP_CWORD > 2)) && sub=${COMP_WORDS[2]}
	_kn_tool "kn-${COMP_WORDS[1]}" "$cur" "$prev" "$sub"
}

complete -o filenames -F _kn kn
complete -o filenames -F _kn_tool_cmd kn-intake kn-classify kn-route \
    kn-answer kn-report
