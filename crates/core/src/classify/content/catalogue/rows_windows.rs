//! Windows: PowerShell cmdlets with their aliases (names and parameters are matched without
//! case, and parameters by unique prefix, as PowerShell does), `cmd.exe` built-ins with their
//! `/x` switches, and the programs that start them. Cmdlet rows (handler `Cmdlet`) and cmd
//! built-ins (handler `CmdBuiltin`) live in their own name spaces, so `rm` or `del` here do
//! not clash with the POSIX rows.

use super::Base::{Admin, Destructive, Mutating, Read};
use super::Handler as H;
use super::Spec;

/// Parameters every cmdlet accepts.
macro_rules! ps {
    ($flags:expr) => {
        concat!(
            "-whatif. -confirm? -verbose? -debug? -erroraction= -ea= -warningaction= -wa= \
             -errorvariable= -ev= -outvariable= -ov= -outbuffer= -ob= -informationaction= \
             -ia= -informationvariable= -iv= -pipelinevariable= -pv= ",
            $flags
        )
    };
}

pub(super) const ROWS: &[Spec] = &[
    row!(
        "pwsh powershell",
        Mutating,
        "runs PowerShell",
        H::PowerShell,
        "@any"
    ),
    row!("cmd", Mutating, "runs cmd.exe", H::Cmd, "@any"),
    row!("reg", Admin, "changes the registry", H::Reg, "@any"),
    row!(
        "vssadmin wbadmin bcdedit wmic cipher takeown icacls cacls xcacls net sc schtasks \
         taskkill netsh wevtutil fsutil bitsadmin manage-bde robocopy sdelete sdelete64 cmdkey \
         dism",
        Mutating,
        "changes the Windows system",
        H::WinTool,
        "@any"
    ),
    // Signed binaries that run code (judged in `windows/judge.rs`), installers, audit policy.
    row!(
        "mshta regsvr32 rundll32 installutil regasm regsvcs msbuild cmstp odbcconf msxsl \
         pcalua mavinject certutil msiexec auditpol",
        Mutating,
        "runs a Windows system tool",
        H::WinTool,
        "@any"
    ),
    row!(
        "diskpart format",
        Destructive,
        "partitions or formats disks",
        H::Diskpart,
        "@any"
    ),
    // PowerShell.
    row!(
        "remove-item ri rm rmdir del erase rd",
        Destructive,
        "removes items",
        H::Cmdlet,
        ps!(
            "-path= -literalpath= -lp= -filter= -include= -exclude= -credential= -stream= -recurse -force"
        )
    ),
    row!(
        "clear-content clc clear-item cli clear-itemproperty clp remove-itemproperty rp \
          clear-recyclebin clear-eventlog remove-eventlog",
        Destructive,
        "empties or removes data",
        H::Cmdlet,
        ps!(
            "-path= -literalpath= -lp= -filter= -include= -exclude= -credential= -stream= \
          -force -name= -driveletter= -logname= -computername="
        )
    ),
    row!(
        "clear-disk initialize-disk format-volume remove-partition remove-physicaldisk \
          reset-physicaldisk remove-virtualdisk",
        Destructive,
        "erases disks or volumes",
        H::Cmdlet,
        ps!(
            "-number= -friendlyname= -uniqueid= -path= -inputobject= -removedata! -removeoem! \
          -driveletter= -filesystem= -full -force -newfilesystemlabel= -partitionnumber= \
          -disknumber= -partitionstyle= -objectid="
        )
    ),
    row!(
        "stop-computer restart-computer stop-process spps kill stop-service spsv \
          remove-service suspend-service disable-netadapter remove-vm stop-vm \
          uninstall-package uninstall-module remove-smbshare remove-job",
        Destructive,
        "stops or removes a machine, process, service or package",
        H::Cmdlet,
        ps!(
            "-name= -id= -force -computername= -credential= -inputobject= -displayname= \
          -processname= -passthru -nowait -wait -timeout= -for= -delay= -turnoff -scope="
        )
    ),
    row!(
        "remove-localuser remove-localgroupmember new-localuser set-localuser \
          add-localgroupmember set-executionpolicy set-mppreference add-mppreference \
          remove-aduser set-acl new-service set-service disable-localuser enable-localuser \
          set-itemproperty sp new-itemproperty register-scheduledtask",
        Admin,
        "changes access or system configuration",
        H::Cmdlet,
        ps!(
            "-name= -member= -group= -password= -executionpolicy= -scope= -force \
          -disablerealtimemonitoring= -exclusionpath= -identity= -path= -aclobject= \
          -binarypathname= -startuptype= -status= -value= -type= -propertytype= -action= \
          -trigger= -taskname= -user="
        )
    ),
    // Its own row: the handler reads `-FilePath`, `-ArgumentList` and `-Verb`.
    row!(
        "start-process saps start",
        Mutating,
        "starts a process",
        H::Cmdlet,
        ps!(
            "-filepath= -argumentlist= -args= -verb= -workingdirectory= -credential= -wait \
             -nonewwindow -passthru -windowstyle= -redirectstandardoutput> \
             -redirectstandarderror> -redirectstandardinput= -loaduserprofile -useshellexecute"
        )
    ),
    row!(
        "set-content sc add-content ac new-item ni md mkdir copy-item copy cp cpi move-item \
          move mv mi rename-item ren rni out-file set-item si \
          set-variable set sv new-variable nv remove-variable rv start-service sasv \
          restart-service",
        Mutating,
        "writes, moves or starts",
        H::Cmdlet,
        ps!(
            "-path= -literalpath= -lp= -value= -itemtype= -type= -name= -destination= \
          -newname= -filepath= -argumentlist= -args= -recurse -force -append -encoding= \
          -container -passthru -wait -nonewwindow -verb= -workingdirectory= -credential= \
          -filter= -include= -exclude= -scope= -option="
        )
    ),
    // An archive is a write judged by its destination; what it packs is its input.
    row!(
        "compress-archive expand-archive",
        Mutating,
        "packs or unpacks an archive",
        H::Cmdlet,
        ps!(
            "-path= -literalpath= -lp= -destinationpath> -compressionlevel= -update -force \
          -passthru"
        )
    ),
    row!(
        "invoke-expression iex invoke-command icm",
        Mutating,
        "runs PowerShell code",
        H::Cmdlet,
        ps!(
            "-command$ -scriptblock$ -computername= -credential= -argumentlist= \
          -filepath@ -session= -asjob -noprofile"
        )
    ),
    row!(
        "invoke-webrequest iwr invoke-restmethod irm",
        Read,
        "sends an HTTP request",
        H::Cmdlet,
        ps!(
            "-uri= -method= -body= -headers= -outfile> -usebasicparsing \
          -contenttype= -infile= -credential= -usedefaultcredentials -timeoutsec= \
          -useragent= -websession= -sessionvariable= -maximumredirection= -form="
        )
    ),
    row!(
        "get-childitem gci ls dir get-content gc cat type get-item gi get-itemproperty gp \
          get-location gl pwd select-string sls test-path resolve-path rvpa get-acl \
          get-filehash get-process gps ps get-service gsv get-command gcm get-help help man \
          get-date get-disk get-volume get-partition get-eventlog get-winevent get-member gm \
          get-variable gv get-localuser get-netadapter get-computerinfo get-history h \
          write-output echo write write-host out-host out-string out-null measure-object \
          measure select-object select where-object where ? foreach-object % sort-object \
          sort group-object group format-table ft format-list fl format-wide fw \
          convertto-json convertfrom-json convertto-csv convertfrom-csv import-csv \
          set-location cd chdir sl push-location pushd pop-location popd start-sleep sleep \
          compare-object compare diff get-ciminstance gcim \
          get-wmiobject gwmi get-netipaddress get-nettcpconnection get-psdrive gdr \
          get-module gmo get-localgroup get-localgroupmember get-scheduledtask get-hotfix \
          get-uptime get-timezone get-culture get-host get-psprovider test-connection \
          test-netconnection resolve-dnsname get-itempropertyvalue gpv get-aduser \
          get-adgroup get-adgroupmember get-adcomputer get-smbshare get-printer \
          get-netfirewallrule get-mppreference get-executionpolicy",
        Read,
        "reads",
        H::Cmdlet,
        ps!(
            "-path= -literalpath= -lp= -filter= -include= -exclude= -recurse -force -name \
          -directory -file -hidden -depth= -totalcount= -head= -tail= -first= -last= \
          -skip= -wait -raw -encoding= -pattern= -simplematch -casesensitive -allmatches \
          -context= -notmatch -list -quiet -property= -expandproperty= -unique -descending \
          -object= -inputobject= -id= -algorithm= -seconds= -milliseconds= -format= \
          -noenumerate -foregroundcolor= -backgroundcolor= -nonewline -logname= \
          -newest= -maxevents= -compress -autosize -wrap -sum -average -maximum -minimum \
          -line -word -character -type= -module= -full -examples -detailed -online \
          -referenceobject= -differenceobject= -delimiter= -asjob -count= -stackname= \
          -parameter= -readcount= -membertype= -static -displayname= -uformat= -date= \
          -filterscript= -value= -eq -ne -gt -ge -lt -le -like -notlike -notcontains -in -notin \
          -is -isnot -ceq -cne -clike -cmatch -classname= -class= -namespace= -query= -computername= -listavailable -all -state= -localport= -remoteport= -taskname= -taskpath= -targetname= -port= -informationlevel= -server= -identity= -properties= -searchbase= -ldapfilter= -cimsession= -keyonly -shallow -operationtimeoutsec= -resourceuri= -protocol= -group= -member= -sid= -groupname= -username= \
          -servicename= -processname= -includeusername -membername= -argumentlist="
        )
    ),
    // cmd.exe built-ins.
    row!(
        "rd rmdir",
        Destructive,
        "removes directories",
        H::CmdBuiltin,
        "/s /q /?."
    ),
    row!(
        "del erase",
        Destructive,
        "deletes files",
        H::CmdBuiltin,
        "/p /f /s /q /a? /?."
    ),
    row!(
        "format",
        Destructive,
        "formats a volume",
        H::CmdBuiltin,
        "/fs? /v? /q /c /x /p? /y /?."
    ),
    row!(
        "dir type echo cd chdir set ver vol where findstr find tree more sort",
        Read,
        "reads",
        H::CmdBuiltin,
        "/a? /b /c /d /l /n /o? /p /q /s /t? /w /x /4 /i /r /v /m /e /?."
    ),
    row!(
        "copy xcopy robocopy move ren rename md mkdir mklink attrib",
        Mutating,
        "copies, moves or creates files",
        H::CmdBuiltin,
        "/y /-y /a /b /v /d /e /s /i /h /k /r /q \
         /f /l /c /z /j /mir! /purge! /mov! /move! /xo /xx /np /nfl /ndl /mt? /log> /+r /-r"
    ),
];
